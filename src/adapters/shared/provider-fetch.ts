import { Agent, request, type Dispatcher } from 'undici';

/**
 * The transport under the official SDKs' `fetch` option: undici's `request` API on a keep-alive
 * pool owned by one adapter.
 *
 * Why not the global fetch: on every call it builds a WHATWG Request, a Response and web streams
 * for bodies the SDK then reads whole. The benchmark (bench/, README "Performance") measured that
 * machinery at about half of the gateway's CPU per non-streamed call; `request` reads the same
 * bytes from a Node stream. The SDKs still build the request, parse the answer and the SSE stream
 * and raise their own errors: only the bytes on the wire go through here.
 *
 * Unlike the global fetch, it sends no `Accept-Encoding` of its own, so providers answer
 * uncompressed and nothing needs inflating. (The Gemini SDK has no `fetch` option and keeps the
 * global fetch.)
 */
export interface ProviderFetch {
  fetch: typeof globalThis.fetch;
  /** Closes the pool's sockets (at shutdown, after the calls drained). */
  close(): Promise<void>;
}

type BodyReadable = Dispatcher.ResponseData['body'];

/**
 * Node's typings declare Response's members as properties, which a subclass may not redefine as
 * accessors or methods; at runtime they are ordinary prototype members.
 */
const ResponseBase = Response as unknown as new (body: null, init: ResponseInit) => object;

/**
 * A real `Response` (so `instanceof` holds) whose body is read straight from undici's Node
 * stream; the web stream is only built when the SDK asks for `body` (SSE).
 */
class NodeStreamResponse extends ResponseBase {
  readonly #source: BodyReadable;
  readonly #url: string;
  #webBody: ReadableStream<Uint8Array> | undefined;

  constructor(source: BodyReadable, init: ResponseInit, url: string) {
    super(null, init);
    this.#source = source;
    this.#url = url;
  }

  get url(): string {
    return this.#url;
  }

  /**
   * Built on first access, but it reads nothing until its first read: the Anthropic SDK touches
   * `body` on every answer (to register it for cleanup) and then calls `json()`. A stream that
   * pulled at once (`Readable.toWeb`) raced `json()` for the bytes, and an answer larger than
   * the stream's buffer (~64 KiB) then hung until the upstream timeout.
   */
  get body(): ReadableStream<Uint8Array> {
    this.#webBody ??= withNodeIterator(pullOnRead(this.#source), this.#source);
    return this.#webBody;
  }

  get bodyUsed(): boolean {
    return this.#source.bodyUsed || this.#source.readableDidRead;
  }

  text(): Promise<string> {
    return this.#source.text();
  }

  json(): Promise<unknown> {
    return this.#source.json();
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#source.arrayBuffer();
  }

  blob(): Promise<Blob> {
    return this.#source.blob();
  }

  formData(): Promise<FormData> {
    return Promise.reject(new TypeError('formData() is not supported on a provider response'));
  }

  clone(): never {
    throw new TypeError('clone() is not supported on a provider response');
  }
}

/** A web stream over the Node body that takes a chunk only when its reader asks for one (high-water mark 0). */
function pullOnRead(source: BodyReadable): ReadableStream<Uint8Array> {
  let chunks: AsyncIterator<Buffer> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        chunks ??= source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
        const next = await chunks.next();
        if (next.done === true) controller.close();
        else controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
      },
      cancel(reason) {
        source.destroy(reason instanceof Error ? reason : undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * The SDKs read an SSE body with `for await` when it is async-iterable (and through a reader
 * only when it is not). A web stream's own iterator takes each chunk through two more promise
 * hops (the stream's pull, then its reader); this one hands out the Node stream's chunks as
 * they come. Leaving the loop early destroys the Node stream, as cancelling the web stream does.
 */
function withNodeIterator(stream: ReadableStream<Uint8Array>, source: BodyReadable): ReadableStream<Uint8Array> {
  Object.defineProperty(stream, Symbol.asyncIterator, {
    value: () => source[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>,
  });
  return stream;
}

function responseHeaders(raw: Dispatcher.ResponseData['headers']): Headers {
  const headers = new Headers();
  for (const name in raw) {
    const value = raw[name];
    if (typeof value === 'string') headers.append(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  return headers;
}

/** Bodies the SDKs send for JSON calls; anything else (multipart uploads, streams) takes the global fetch. */
function isPlainBody(body: RequestInit['body']): body is string | Uint8Array | null | undefined {
  return body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
}

export function createProviderFetch(): ProviderFetch {
  // undici's default keep-alive handling: idle sockets are dropped before the server's own
  // `Keep-Alive: timeout` hint expires, so a reused socket is never one the server just closed.
  const agent = new Agent();

  const providerFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (input instanceof Request || !isPlainBody(init.body)) return globalThis.fetch(input, init);
    const url = String(input);
    const answer = await request(url, {
      dispatcher: agent,
      method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: init.headers instanceof Headers ? init.headers : new Headers(init.headers),
      body: init.body ?? null,
      signal: init.signal ?? undefined,
    });
    if (answer.statusCode < 200 || answer.statusCode > 599) {
      answer.body.destroy();
      throw new TypeError(`the provider answered with HTTP status ${answer.statusCode}, which is not a final HTTP status`);
    }
    return new NodeStreamResponse(answer.body, { status: answer.statusCode, headers: responseHeaders(answer.headers) }, url) as unknown as Response;
  };

  return {
    fetch: providerFetch as typeof globalThis.fetch,
    close: () => agent.destroy(),
  };
}
