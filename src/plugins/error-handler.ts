import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import fp from 'fastify-plugin';
import { GatewayError, isGatewayError, toEnvelope } from '../errors.js';
import { ClientClosedRequest } from '../routing/upstream-deadline.js';
import { paramPath, paramPathFromPointer } from '../param-path.js';
import { patternMeanings } from '../schema-patterns.js';

/**
 * The failure worth reporting. Under `anyOf`, Ajv lists one failure per branch before its own
 * "must match a schema in anyOf", and the first is usually the first branch's `type` ("'input'
 * must be string" for an empty array); a failure inside a branch whose type did match says what
 * to fix ("must NOT have fewer than 1 items").
 */
function mostTelling(errors: FastifySchemaValidationError[]): FastifySchemaValidationError | undefined {
  return errors.find((error) => !['type', 'anyOf', 'oneOf'].includes(error.keyword)) ?? errors[0];
}

/** What a validation failure's context names: the part of the request Ajv checked. */
function validatedPart(request: FastifyRequest, where: string): unknown {
  if (where === 'querystring') return request.query;
  if (where === 'params') return request.params;
  if (where === 'headers') return request.headers;
  return request.body;
}

/** Fastify's own errors, mapped onto the catalogue. */
function fromFastifyError(error: FastifyError, request: FastifyRequest, maxBodyBytes: number): GatewayError | null {
  if (error.validation) {
    const first = mostTelling(error.validation);
    const where = error.validationContext ?? 'body';
    const parent = first?.instancePath ? paramPathFromPointer(first.instancePath, validatedPart(request, where)) : undefined;
    // A missing property is named by its full path (`deployments[0].model`), not by its parent object.
    const missing = (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
    const field = missing === undefined ? parent : paramPath([...(parent ? [parent] : []), missing]);
    // `additionalProperties: false` (admin bodies): name the unknown field itself, not its parent.
    const unknown = (first?.params as { additionalProperty?: string } | undefined)?.additionalProperty;
    if (unknown !== undefined) {
      const unknownField = paramPath([...(parent ? [parent] : []), unknown]);
      return new GatewayError('invalid_request', `Invalid ${where}: unknown field '${unknownField}'.`, {
        param: unknownField,
        hint: 'Remove it or check its spelling; /docs lists the accepted fields.',
      });
    }
    // Ajv's "must be equal to one of the allowed values" (or "to constant") does not say which they are.
    const params = first?.params as { allowedValues?: unknown[]; allowedValue?: unknown } | undefined;
    const allowed = params?.allowedValues ?? (first?.keyword === 'const' ? [params?.allowedValue] : undefined);
    const pattern = first?.keyword === 'pattern' ? patternMeanings[(first.params as { pattern?: string }).pattern ?? ''] : undefined;
    const listed = allowed?.map((value) => JSON.stringify(value));
    const failure = listed !== undefined ? (listed.length === 1 ? `must be ${listed[0]}` : `must be one of ${listed.join(', ')}`) : (pattern ?? first?.message ?? error.message);
    const problem = missing === undefined ? `${field ? `'${field}' ` : ''}${failure}` : `'${field}' is required`;
    const dateTime = first?.keyword === 'format' && (first.params as { format?: string }).format === 'date-time';
    return new GatewayError('invalid_request', `Invalid ${where}: ${problem}.`, {
      param: field ?? null,
      hint: dateTime
        ? 'Give a date and time with its time zone, e.g. 2026-12-01T00:00:00Z or 2026-12-01T01:00:00+01:00 (in a URL, write + as %2B).'
        : 'Fix that field and send the request again; /docs describes every field.',
    });
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError('body_too_large', `The request body is larger than ${maxBodyBytes} bytes.`, {
        hint: 'Send a smaller body; the limit is GATEWAY_MAX_BODY_BYTES.',
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError('unsupported_media_type', 'The request body must be JSON (Content-Type: application/json).');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new GatewayError('invalid_request', 'The request body is not as long as its Content-Length header says.');
    default:
      break;
  }
  if (error instanceof SyntaxError || (error.statusCode === 400 && error.message.includes('JSON'))) {
    return new GatewayError('invalid_request', `The request body is not valid JSON: ${error.message}`);
  }
  return null;
}

export function sendGatewayError(reply: FastifyReply, error: GatewayError): FastifyReply {
  const call = reply.request.call;
  if (call) {
    call.errorCode = error.code;
    call.errorLayer = error.layer;
  }
  return reply
    .code(error.status)
    .headers({ ...error.headers, 'x-gateway-error-source': error.source })
    .send(toEnvelope(error, reply.request.id));
}

/** The methods the gateway's routes use (HEAD answers wherever GET does). */
const ROUTE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** The one error handler: every error leaves as the one OpenAI-style envelope (DESIGN §2). */
export default fp(
  async function errorHandler(fastify: FastifyInstance, options: { maxBodyBytes: number }) {
    fastify.setErrorHandler((raw: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
      if (raw instanceof ClientClosedRequest) {
        request.call.cancelled = true;
        return reply.code(499).send();
      }
      const known = isGatewayError(raw) ? raw : fromFastifyError(raw as FastifyError, request, options.maxBodyBytes);
      if (known) {
        if (known.status >= 500) request.log.warn({ err: raw, code: known.code }, 'call failed');
        return sendGatewayError(reply, known);
      }
      request.log.error({ err: raw }, 'unexpected error');
      return sendGatewayError(
        reply,
        new GatewayError('internal_error', 'The gateway failed unexpectedly; the details are in the server log under this request id.'),
      );
    });

    fastify.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      // A path that exists for other methods is a 405 that lists them, not "no such route".
      const allowed = ROUTE_METHODS.filter((method) => method !== request.method && fastify.findRoute({ method, url: path }) !== null);
      if (allowed.length > 0) {
        reply.header('allow', allowed.join(', '));
        return sendGatewayError(
          reply,
          new GatewayError('method_not_allowed', `${path} takes ${allowed.join(' or ')}, not ${request.method}.`, {
            hint: allowed.includes('POST') && path.startsWith('/v1/') ? 'Send the call as POST with a JSON body, as the OpenAI SDKs do.' : 'Use one of the methods in the Allow header; /docs describes the route.',
          }),
        );
      }
      return sendGatewayError(
        reply,
        new GatewayError('route_not_found', `There is no route ${request.method} ${path}.`, {
          hint: 'The API lives under /v1 (chat/completions, embeddings, models) and /admin; /docs describes it.',
        }),
      );
    });
  },
  { name: 'error-handler', dependencies: ['request-context'] },
);
