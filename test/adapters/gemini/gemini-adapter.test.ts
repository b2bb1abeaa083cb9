import t from 'tap';
import { createGeminiAdapter } from '../../../src/adapters/gemini/gemini-adapter.js';
import { SKIP_THOUGHT_SIGNATURE } from '../../../src/adapters/gemini/thought-signatures.js';
import type { CallOptions, ChatRequest, StreamEvent, ToolDefinition } from '../../../src/adapters/types.js';
import {
  GEMINI_FAKE_REPLY,
  fakeEmbedding,
  geminiFixtureStream,
  geminiFixtureThoughtSignature,
  startGeminiFake,
} from '../../fake-upstreams/gemini.js';

const API_KEY = 'gemini-test-key';
const MODEL = 'gemini-3-pro-preview';

function callOptions(overrides: Partial<CallOptions> = {}): CallOptions {
  return { signal: new AbortController().signal, requestId: 'req_gemini_1', upstreamModel: MODEL, dropParams: new Set(), ...overrides };
}

async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const seen: StreamEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

const weatherTool: ToolDefinition = {
  type: 'function',
  function: {
    name: 'weather',
    description: 'Get the weather in a location',
    parameters: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { location: { type: 'string', description: 'The location' }, unit: { type: ['string', 'null'], enum: ['C', 'F'] } },
      required: ['location'],
      additionalProperties: false,
    },
    strict: true,
  },
};

t.test('Gemini adapter against the fake upstream', async (t) => {
  const gemini = await startGeminiFake({ apiKey: API_KEY });
  t.teardown(() => gemini.close());
  const adapter = createGeminiAdapter({ baseUrl: `${gemini.baseUrl}/`, apiKey: API_KEY });
  const question: ChatRequest = { model: 'weather-bot', messages: [{ role: 'user', content: 'Weather in San Francisco?' }], tools: [weatherTool] };

  let issuedCallId = '';

  t.test('the recorded functionCall stream becomes exact events', async (t) => {
    gemini.enqueue(geminiFixtureStream());
    const events = await collect(await adapter.chatStream({ ...question, stream: true }, callOptions()));
    const start = events[0] as Extract<StreamEvent, { type: 'tool_call_start' }>;
    t.match(start.id, /^call_[0-9a-f]{24}$/, 'a synthesized id');
    t.same(events, [
      { type: 'tool_call_start', toolIndex: 0, id: start.id, name: 'weather' },
      { type: 'tool_call_arguments', toolIndex: 0, arguments: '{"location":"San Francisco"}' },
      { type: 'finish', reason: 'tool_calls' },
      { type: 'usage', usage: { prompt_tokens: 29, completion_tokens: 60, total_tokens: 89, completion_tokens_details: { reasoning_tokens: 45 } } },
    ]);
    issuedCallId = start.id;
    const recorded = gemini.requests.at(-1)!;
    t.equal(recorded.url, `/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`);
    t.equal(recorded.headers['x-goog-api-key'], API_KEY);
    t.equal(recorded.headers['x-request-id'], 'req_gemini_1');
  });

  t.test('replaying the tool call sends back its thought signature; a made-up id gets the sentinel', async (t) => {
    const replay = (callId: string): ChatRequest => ({
      ...question,
      messages: [
        ...question.messages,
        { role: 'assistant', content: null, tool_calls: [{ id: callId, type: 'function', function: { name: 'weather', arguments: '{"location":"San Francisco"}' } }] },
        { role: 'tool', tool_call_id: callId, content: '18°C, fog' },
      ],
    });
    const result = await adapter.chat(replay(issuedCallId), callOptions());
    t.equal(result.choices[0]?.message.content, GEMINI_FAKE_REPLY);
    const sent = gemini.requests.at(-1)!.body as { contents: Array<{ role: string; parts: Array<Record<string, unknown>> }> };
    t.same(sent.contents[1], {
      role: 'model',
      parts: [{ functionCall: { name: 'weather', args: { location: 'San Francisco' } }, thoughtSignature: geminiFixtureThoughtSignature() }],
    });
    t.same(sent.contents[2], {
      role: 'user',
      parts: [{ functionResponse: { name: 'weather', response: { name: 'weather', content: '18°C, fog' } } }],
    });

    await adapter.chat(replay('call_made_up_by_client'), callOptions());
    const madeUp = gemini.requests.at(-1)!.body as typeof sent;
    t.equal(madeUp.contents[1]?.parts[0]?.thoughtSignature, SKIP_THOUGHT_SIGNATURE);

    const otherInstance = createGeminiAdapter({ baseUrl: gemini.baseUrl, apiKey: API_KEY });
    await otherInstance.chat(replay(issuedCallId), callOptions());
    const elsewhere = gemini.requests.at(-1)!.body as typeof sent;
    t.equal(elsewhere.contents[1]?.parts[0]?.thoughtSignature, SKIP_THOUGHT_SIGNATURE, 'signatures belong to the adapter instance that issued them');
  });

  t.test('the translated upstream request, as the fake recorded it', async (t) => {
    const result = await adapter.chat(
      {
        model: 'weather-bot',
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: [{ type: 'text', text: 'Look:' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] },
          {
            role: 'assistant',
            content: 'Checking.',
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"location":"Oslo"}' } },
              { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '{"location":"Rome"}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_2', content: 'sunny' },
          { role: 'tool', tool_call_id: 'call_1', content: 'snow' },
        ],
        tools: [weatherTool],
        tool_choice: { type: 'function', function: { name: 'weather' } },
        max_tokens: 256,
        temperature: 0.1,
        top_p: 0.8,
        seed: 42,
        stop: ['END'],
        response_format: { type: 'json_object' },
      },
      callOptions(),
    );
    t.same(result.usage, { prompt_tokens: 7, completion_tokens: 6, total_tokens: 13 });
    t.equal(result.providerResponseId, 'fake-response-id');
    const recorded = gemini.requests.at(-1)!;
    t.equal(recorded.url, `/v1beta/models/${MODEL}:generateContent`);
    t.same(recorded.body, {
      generationConfig: { maxOutputTokens: 256, stopSequences: ['END'], temperature: 0.1, topP: 0.8, seed: 42, responseMimeType: 'application/json' },
      safetySettings: [],
      tools: [
        {
          functionDeclarations: [
            {
              name: 'weather',
              description: 'Get the weather in a location',
              parameters: {
                type: 'object',
                properties: { location: { type: 'string', description: 'The location' }, unit: { type: 'string', nullable: true, enum: ['C', 'F'] } },
                required: ['location'],
              },
            },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] } },
      systemInstruction: { role: 'system', parts: [{ text: 'You are terse.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Look:' }, { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } }] },
        {
          role: 'model',
          parts: [
            { text: 'Checking.' },
            { functionCall: { name: 'weather', args: { location: 'Oslo' } }, thoughtSignature: SKIP_THOUGHT_SIGNATURE },
            { functionCall: { name: 'weather', args: { location: 'Rome' } }, thoughtSignature: SKIP_THOUGHT_SIGNATURE },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'weather', response: { name: 'weather', content: 'snow' } } },
            { functionResponse: { name: 'weather', response: { name: 'weather', content: 'sunny' } } },
          ],
        },
      ],
    });
  });

  t.test('a plain streamed answer from the fallback', async (t) => {
    const events = await collect(await adapter.chatStream({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true }, callOptions()));
    t.same(events, [
      { type: 'text', text: 'Hello from ' },
      { type: 'text', text: 'the Gemini fake.' },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { prompt_tokens: 7, completion_tokens: 6, total_tokens: 13 } },
    ]);
  });

  t.test('an unsupported parameter is a 400 naming it, before any upstream call; dropped when configured', async (t) => {
    const before = gemini.requests.length;
    const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'hi' }], logprobs: true };
    await t.rejects(adapter.chat(request, callOptions()), { code: 'unsupported_parameter', status: 400, param: 'logprobs', message: /logprobs/ });
    await t.rejects(adapter.chatStream(request, callOptions()), { code: 'unsupported_parameter', param: 'logprobs' });
    t.equal(gemini.requests.length, before, 'nothing reached the provider');
    const result = await adapter.chat(request, callOptions({ dropParams: new Set(['logprobs']) }));
    t.equal(result.choices[0]?.message.content, GEMINI_FAKE_REPLY);
    t.notOk(JSON.stringify(gemini.requests.at(-1)!.body).includes('logprobs'), 'the dropped parameter was not sent');
  });

  t.test('http image URLs go through the gateway fetcher', async (t) => {
    const fetched: string[] = [];
    const withFetcher = createGeminiAdapter({
      baseUrl: gemini.baseUrl,
      apiKey: API_KEY,
      fetchImage: async (url) => {
        fetched.push(url);
        return { mimeType: 'image/jpeg', base64: '/9j/' };
      },
    });
    const request: ChatRequest = { model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://img.example/cat.jpg' } }] }] };
    await withFetcher.chat(request, callOptions());
    t.same(fetched, ['https://img.example/cat.jpg']);
    t.same((gemini.requests.at(-1)!.body as { contents: unknown[] }).contents, [{ role: 'user', parts: [{ inlineData: { mimeType: 'image/jpeg', data: '/9j/' } }] }]);
    await t.rejects(adapter.chat(request, callOptions()), { code: 'unsupported_parameter', param: 'messages[0].content[0].image_url.url' });
  });

  t.test('embeddings: one input → embedContent, several → batches of 100', async (t) => {
    const embedModel = callOptions({ upstreamModel: 'text-embedding-004' });
    const single = await adapter.embed!({ model: 'e', input: 'hello', dimensions: 4 }, embedModel);
    t.same(single, { vectors: [fakeEmbedding('hello', 4)], usage: null });
    t.equal(gemini.requests.at(-1)!.url, '/v1beta/models/text-embedding-004:embedContent');
    t.same(gemini.requests.at(-1)!.body, { content: { role: 'user', parts: [{ text: 'hello' }] }, outputDimensionality: 4 });

    const before = gemini.requests.length;
    const texts = Array.from({ length: 250 }, (_, index) => `text ${index}`);
    const batch = await adapter.embed!({ model: 'e', input: texts }, embedModel);
    t.equal(batch.usage, null, 'Gemini reports no usage: the gateway counts');
    t.same(batch.vectors, texts.map((text) => fakeEmbedding(text)));
    const calls = gemini.requests.slice(before);
    t.same(calls.map((call) => call.url), Array(3).fill('/v1beta/models/text-embedding-004:batchEmbedContents'));
    t.same(calls.map((call) => (call.body as { requests: unknown[] }).requests.length), [100, 100, 50]);
    t.match((calls[0]!.body as { requests: unknown[] }).requests[0], { model: 'models/text-embedding-004', content: { parts: [{ text: 'text 0' }] } });

    await t.rejects(adapter.embed!({ model: 'e', input: [[1, 2, 3]] }, embedModel), { code: 'unsupported_parameter', param: 'input' });
  });
});
