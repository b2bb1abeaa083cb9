import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import secureJson from 'secure-json-parse';
import { GatewayError } from '../errors.js';

const FORBIDDEN_KEY = /^Object contains forbidden (prototype|constructor) property$/;

/**
 * Far deeper than any real request (a tool's JSON Schema nested twenty objects deep is about
 * forty levels). The code after the parser recurses (schema translation, the SDKs'
 * JSON.stringify): a body nested 10,000 deep overflowed the stack there, and was reported as
 * the provider's unreadable answer.
 */
export const MAX_JSON_DEPTH = 128;

/** Whether objects and arrays nest deeper than `max` levels (iterative: the check itself cannot overflow). */
function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: Array<{ node: object; depth: number }> = typeof value === 'object' && value !== null ? [{ node: value, depth: 1 }] : [];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.depth > max) return true;
    const children: unknown[] = Array.isArray(next.node) ? next.node : Object.values(next.node);
    for (const child of children) if (typeof child === 'object' && child !== null) pending.push({ node: child, depth: next.depth + 1 });
  }
  return false;
}

/**
 * An empty body sent with `Content-Type: application/json`, as many clients do on every request:
 * nothing, for a route that takes no body (approve, revoke, delete); `{}` for a route whose body
 * fields are all optional; refused only where the route needs fields.
 */
function emptyBody(bodySchema: unknown): undefined | Record<string, never> {
  if (bodySchema === undefined) return undefined;
  const required = (bodySchema as { required?: unknown }).required;
  if (!Array.isArray(required) || required.length === 0) return {};
  throw new GatewayError('invalid_request', `The request body is empty; a JSON object is expected, with ${required.map((field) => `'${String(field)}'`).join(', ')}.`, {
    hint: 'Send the JSON object this endpoint takes; its schema is in the API docs at /docs.',
  });
}

/** Parses a JSON body, or says exactly what is wrong with it (Fastify's own parser drops the reason). */
function parseJsonBody(text: string, bodySchema: unknown): unknown {
  if (text.length === 0) return emptyBody(bodySchema);
  let parsed: unknown;
  try {
    // The same guard as Fastify's default parser: no `__proto__` or `constructor.prototype` keys.
    parsed = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (FORBIDDEN_KEY.test(reason)) {
      throw new GatewayError('invalid_request', "The request body has a '__proto__' or 'constructor.prototype' key, which the gateway refuses.", {
        hint: 'Remove or rename that key: such keys are how prototype-poisoning attacks travel in JSON.',
      });
    }
    throw new GatewayError('invalid_request', `The request body is not valid JSON: ${reason}.`, {
      hint: 'Check the JSON at that point: a trailing comma, a missing quote or bracket, a body cut short.',
    });
  }
  if (nestsDeeperThan(parsed, MAX_JSON_DEPTH)) {
    throw new GatewayError('invalid_request', `The request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep, which the gateway refuses.`, {
      hint: 'Flatten the deepest part (a JSON Schema in tools or response_format, most likely).',
    });
  }
  return parsed;
}

/** A gzip (or other) encoded body would otherwise be reported as JSON with a stray byte. */
function assertNotCompressed(encoding: string | undefined): void {
  if (encoding === undefined || /^\s*identity\s*$/i.test(encoding)) return;
  throw new GatewayError('unsupported_media_type', `The request body is encoded (Content-Encoding: ${encoding.slice(0, 40)}); the gateway takes plain JSON only.`, {
    hint: 'Send the body uncompressed, without a Content-Encoding header.',
  });
}

/**
 * Bodies are JSON (`application/json`) and nothing else: every other media type, plain text
 * included, is 415 `unsupported_media_type`. Routes that take another type add their own parser
 * (the admin config routes take YAML).
 */
export default fp(
  async function jsonBody(fastify: FastifyInstance) {
    fastify.removeContentTypeParser(['application/json', 'text/plain']);
    fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      try {
        assertNotCompressed(request.headers['content-encoding']);
        done(null, parseJsonBody(body as string, request.routeOptions.schema?.body));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
  },
  { name: 'json-body', dependencies: ['error-handler'] },
);
