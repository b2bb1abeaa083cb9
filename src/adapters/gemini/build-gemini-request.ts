import { narrowToAllowedTools } from '../shared/narrow-allowed-tools.js';
import { rejectUnhonouredParameters, unsupportedParameter } from '../shared/unsupported-parameters.js';
import type { CallOptions, ChatRequest } from '../types.js';
import { buildGeminiGenerationConfig } from './build-gemini-generation-config.js';
import { convertToGeminiContents, type ContentsContext } from './convert-to-gemini-contents.js';
import { convertToGeminiToolConfig, convertToGeminiTools } from './convert-to-gemini-tools.js';
import type { GeminiGenerateRequest } from './gemini-wire-types.js';

export const PROVIDER_LABEL = 'Gemini';

/**
 * Every top-level chat parameter the Gemini adapter translates. `stream` and `stream_options`
 * are honoured by the gateway itself (it always asks for usage); `user` and the rest are not.
 */
export const HONOURED_CHAT_PARAMETERS: ReadonlySet<string> = new Set([
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
  'n',
  'seed',
  'frequency_penalty',
  'presence_penalty',
  'stream',
  'stream_options',
]);

/** Fields no request can do without: a model's dropParams never removes them. */
const REQUIRED_FIELDS: ReadonlySet<string> = new Set(['model', 'messages', 'input']);

/** The request minus the parameters the model is configured to drop, honoured ones included. */
export function withoutDroppedParameters<T extends Record<string, unknown>>(request: T, dropParams: ReadonlySet<string>): T {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(request)) {
    if (dropParams.has(name) && !REQUIRED_FIELDS.has(name)) continue;
    kept[name] = value;
  }
  return kept as T;
}

/**
 * An OpenAI chat request → the body of `generateContent` / `streamGenerateContent`. Parameter
 * checks run before the image downloads, so a request that must fail fails cheaply.
 */
export async function buildGeminiRequest(
  request: ChatRequest,
  options: Pick<CallOptions, 'dropParams' | 'upstreamModel'>,
  context: ContentsContext,
): Promise<GeminiGenerateRequest> {
  const kept = withoutDroppedParameters(request, options.dropParams);
  rejectUnhonouredParameters(kept, HONOURED_CHAT_PARAMETERS, options, PROVIDER_LABEL);
  // Gemini may always answer with several calls at once; it cannot be told not to.
  if (kept.parallel_tool_calls === false) {
    throw unsupportedParameter('parallel_tool_calls', PROVIDER_LABEL, 'it cannot be limited to one tool call per turn');
  }
  const selection = narrowToAllowedTools(kept);
  const tools = convertToGeminiTools(selection.tools);
  const toolConfig = convertToGeminiToolConfig(selection.tool_choice, selection.tools);
  const generationConfig = buildGeminiGenerationConfig(kept);
  const { systemInstruction, contents } = await convertToGeminiContents(kept.messages, context);
  return {
    contents,
    ...(systemInstruction === undefined ? {} : { systemInstruction }),
    ...(tools === undefined ? {} : { tools }),
    ...(toolConfig === undefined ? {} : { toolConfig }),
    ...(generationConfig === undefined ? {} : { generationConfig }),
  };
}
