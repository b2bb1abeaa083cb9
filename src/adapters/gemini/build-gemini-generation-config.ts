import { invalidField, unsupportedParameter } from '../shared/unsupported-parameters.js';
import type { ChatRequest } from '../types.js';
import { convertJsonSchemaToGeminiSchema } from './convert-json-schema-to-gemini-schema.js';
import type { GeminiGenerationConfig } from './gemini-wire-types.js';

/** Gemini refuses more stop sequences than this. */
export const MAX_STOP_SEQUENCES = 5;

function present<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}

/**
 * OpenAI sampling and output parameters → `generationConfig` (wire-protocols §3). The request
 * has already lost the parameters the model drops; undefined when nothing is set, so the
 * upstream body stays minimal.
 */
export function buildGeminiGenerationConfig(request: ChatRequest): GeminiGenerationConfig | undefined {
  const config: GeminiGenerationConfig = {};
  // max_completion_tokens is the newer name and, like maxOutputTokens, includes reasoning tokens.
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (present(maxTokens)) config.maxOutputTokens = maxTokens;
  const stopSequences = convertStop(request.stop);
  if (stopSequences !== undefined) config.stopSequences = stopSequences;
  if (present(request.n)) config.candidateCount = request.n;
  if (present(request.temperature)) config.temperature = request.temperature;
  if (present(request.top_p)) config.topP = request.top_p;
  if (present(request.seed)) config.seed = request.seed;
  if (present(request.presence_penalty)) config.presencePenalty = request.presence_penalty;
  if (present(request.frequency_penalty)) config.frequencyPenalty = request.frequency_penalty;
  Object.assign(config, convertResponseFormat(request.response_format));
  return Object.keys(config).length === 0 ? undefined : config;
}

function convertStop(stop: ChatRequest['stop']): string[] | undefined {
  if (!present(stop)) return undefined;
  const sequences = typeof stop === 'string' ? [stop] : stop;
  if (sequences.length === 0) return undefined;
  if (sequences.length > MAX_STOP_SEQUENCES) {
    throw unsupportedParameter('stop', 'Gemini', `at most ${MAX_STOP_SEQUENCES} stop sequences, got ${sequences.length}`);
  }
  return sequences;
}

function convertResponseFormat(format: ChatRequest['response_format']): Partial<GeminiGenerationConfig> {
  if (!present(format) || format.type === 'text') return {};
  if (format.type === 'json_object') return { responseMimeType: 'application/json' };
  if (format.type === 'json_schema') {
    const responseSchema = convertJsonSchemaToGeminiSchema(format.json_schema?.schema, 'response_format.json_schema.schema');
    return { responseMimeType: 'application/json', ...(responseSchema === undefined ? {} : { responseSchema }) };
  }
  throw invalidField('response_format', `response_format type '${String(format.type)}' is not one of text, json_object, json_schema.`);
}
