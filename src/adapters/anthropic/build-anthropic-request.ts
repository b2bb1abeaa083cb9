import type { MessageCreateParamsBase } from '@anthropic-ai/sdk/resources/messages';
import { narrowToAllowedTools } from '../shared/narrow-allowed-tools.js';
import { invalidField, rejectUnhonouredParameters, unsupportedParameter } from '../shared/unsupported-parameters.js';
import type { CallOptions, ChatRequest, ProviderSettings } from '../types.js';
import { applyResponseFormat } from './convert-response-format.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';
import { convertToAnthropicTools } from './convert-to-anthropic-tools.js';

export const PROVIDER_LABEL = 'Anthropic';

/** Used when neither the request nor the provider's `defaultMaxTokens` option sets a limit. */
export const DEFAULT_MAX_TOKENS = 4096;

/** Every top-level OpenAI parameter this adapter translates; any other one is refused or dropped. */
export const HONOURED_PARAMETERS: ReadonlySet<string> = new Set([
  'model',
  'messages',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'stop',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'top_k', // not OpenAI's, but clients that know Anthropic send it and it maps one to one
  'n', // 1 is honoured; more is refused below
  'user',
  'stream', // the gateway decides between chat() and chatStream()
  'stream_options', // Anthropic always reports usage
]);

/** Parameters the upstream cannot do without: a model's dropParams never removes them. */
const REQUIRED_PARAMETERS: ReadonlySet<string> = new Set(['model', 'messages']);

export interface AnthropicRequestPlan {
  /** The Messages API body, without `stream` (the adapter adds it). */
  params: MessageCreateParamsBase;
  /** The forced answer tool of a `json_schema` response format, unwrapped into the content. */
  answerToolName: string | undefined;
}

/**
 * An OpenAI chat request → an Anthropic Messages request (wire-protocols §2 rules 1–8).
 * Parameters Anthropic cannot honour (seed, penalties, logprobs…, or anything unknown) are a 400
 * naming them unless the model lists them in dropParams; dropParams also removes honoured
 * parameters (e.g. `top_p`, which the newest Claude models refuse alongside `temperature`).
 */
export function buildAnthropicRequest(
  request: ChatRequest,
  options: Pick<CallOptions, 'dropParams' | 'upstreamModel'>,
  settings: Pick<ProviderSettings, 'options'> = {},
): AnthropicRequestPlan {
  const kept = (name: string): unknown =>
    options.dropParams.has(name) && !REQUIRED_PARAMETERS.has(name) ? undefined : request[name];

  // `logprobs: false` asks for nothing, so there is nothing to refuse.
  const { logprobs, ...asked } = request;
  rejectUnhonouredParameters(logprobs === false ? asked : request, HONOURED_PARAMETERS, options, PROVIDER_LABEL);
  checkChoiceCount(kept('n'));

  const prompt = convertToAnthropicMessages(request.messages);
  const format = applyResponseFormat(
    kept('response_format') as ChatRequest['response_format'],
    convertToAnthropicTools({
      ...narrowToAllowedTools({ tools: kept('tools') as ChatRequest['tools'], tool_choice: kept('tool_choice') as ChatRequest['tool_choice'] }),
      parallel_tool_calls: kept('parallel_tool_calls') as ChatRequest['parallel_tool_calls'],
    }),
  );
  const system = [prompt.system, format.systemInstruction].filter((text) => text !== undefined).join('\n\n');

  const params: MessageCreateParamsBase = {
    model: options.upstreamModel,
    max_tokens: maxTokens(kept('max_completion_tokens'), kept('max_tokens'), settings.options?.defaultMaxTokens),
    messages: prompt.messages,
  };
  if (system !== '') params.system = system;
  if (format.tools !== undefined) params.tools = format.tools;
  if (format.toolChoice !== undefined) params.tool_choice = format.toolChoice;
  const stopSequences = stopSequencesOf(kept('stop'));
  if (stopSequences !== undefined) params.stop_sequences = stopSequences;
  const temperature = numberOf(kept('temperature'), 'temperature');
  // OpenAI's range is 0–2, Anthropic's 0–1: values above 1 mean "as random as it gets".
  if (temperature !== undefined) params.temperature = Math.min(1, Math.max(0, temperature));
  const topP = numberOf(kept('top_p'), 'top_p');
  if (topP !== undefined) params.top_p = topP;
  const topK = numberOf(kept('top_k'), 'top_k');
  if (topK !== undefined) params.top_k = topK;
  const user = kept('user');
  if (typeof user === 'string' && user !== '') params.metadata = { user_id: user };
  return { params, answerToolName: format.answerToolName };
}

function checkChoiceCount(n: unknown): void {
  if (n === undefined || n === null || n === 1) return;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw invalidField('n', "'n' must be a positive integer.");
  throw unsupportedParameter('n', PROVIDER_LABEL, 'it returns one choice per call');
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

function maxTokens(maxCompletionTokens: unknown, maxTokensParam: unknown, configuredDefault: unknown): number {
  for (const [name, value] of [['max_completion_tokens', maxCompletionTokens], ['max_tokens', maxTokensParam]] as const) {
    if (value === undefined || value === null) continue;
    const limit = positiveInteger(value);
    if (limit === undefined) throw invalidField(name, `'${name}' must be a positive integer.`);
    return limit;
  }
  return positiveInteger(configuredDefault) ?? DEFAULT_MAX_TOKENS;
}

function stopSequencesOf(stop: unknown): string[] | undefined {
  if (stop === undefined || stop === null) return undefined;
  const list: unknown[] = Array.isArray(stop) ? stop : [stop];
  if (!list.every((item): item is string => typeof item === 'string')) {
    throw invalidField('stop', "'stop' must be a string or an array of strings.");
  }
  // Anthropic refuses empty stop sequences; an empty one could never match anyway.
  const sequences = list.filter((item) => item !== '');
  return sequences.length > 0 ? sequences : undefined;
}

function numberOf(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidField(name, `'${name}' must be a number.`);
  return value;
}
