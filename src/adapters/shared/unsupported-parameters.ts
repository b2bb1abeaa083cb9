import { GatewayError } from '../../errors.js';
import type { CallOptions } from '../types.js';

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * A parameter a provider cannot honour is never dropped silently (issue 2 §6): it is a 400
 * `unsupported_parameter` naming it, unless the model is configured to drop it.
 * `honoured` lists every top-level parameter the adapter translates.
 */
export function rejectUnhonouredParameters(
  request: Record<string, unknown>,
  honoured: ReadonlySet<string>,
  options: Pick<CallOptions, 'dropParams' | 'upstreamModel'>,
  providerLabel: string,
): void {
  for (const [name, value] of Object.entries(request)) {
    if (!isSet(value) || honoured.has(name) || options.dropParams.has(name)) continue;
    throw unsupportedParameter(name, providerLabel);
  }
}

export function unsupportedParameter(name: string, providerLabel: string, why?: string): GatewayError {
  return new GatewayError(
    'unsupported_parameter',
    `The parameter '${name}' is not supported by ${providerLabel}${why === undefined ? '' : ` (${why})`}.`,
    {
      param: name,
      hint: `Remove '${name}' from the request, or ask a platform admin to list it in the model's dropParams.`,
    },
  );
}

/** A request field whose value cannot be translated (e.g. invalid tool-call JSON). */
export function invalidField(param: string, message: string): GatewayError {
  return new GatewayError('invalid_request', message, { param });
}
