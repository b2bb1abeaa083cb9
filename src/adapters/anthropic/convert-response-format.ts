import type { Tool, ToolChoice } from '@anthropic-ai/sdk/resources/messages';
import { invalidField } from '../shared/unsupported-parameters.js';
import type { ChatRequest } from '../types.js';
import type { AnthropicTools } from './convert-to-anthropic-tools.js';

/** Appended to the system prompt for `response_format: {type: "json_object"}`. */
export const JSON_OBJECT_INSTRUCTION =
  'Respond with a single valid JSON object and nothing else: no prose, no Markdown code fences.';

export interface ResponseFormatPlan extends AnthropicTools {
  /** Text to append to the system prompt, if any. */
  systemInstruction: string | undefined;
  /**
   * The name of the forced answer tool for `json_schema`, if any: the response and stream
   * translations turn this tool's input back into the message content.
   */
  answerToolName: string | undefined;
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * OpenAI `response_format` → Anthropic. Chosen approach for `json_schema`: a forced tool named
 * after the schema, whose input schema is the requested schema; the model's tool input *is* the
 * answer and is unwrapped back into `message.content` (as JSON text, with finish_reason `stop`).
 * Why not Anthropic's native `output_config.format`: only the newest Claude models take it, and
 * Anthropic-compatible third-party endpoints (which speak API version 2023-06-01) do not, while
 * tool use works everywhere and constrains the output to the schema just as well.
 * `json_object` has no Anthropic equivalent: it becomes a system instruction.
 */
export function applyResponseFormat(format: ChatRequest['response_format'], tools: AnthropicTools): ResponseFormatPlan {
  const plain = { ...tools, systemInstruction: undefined, answerToolName: undefined };
  if (format === undefined || format === null || format.type === 'text') return plain;
  if (format.type === 'json_object') return { ...plain, systemInstruction: JSON_OBJECT_INSTRUCTION };
  if (format.type !== 'json_schema') {
    throw invalidField('response_format.type', `The response_format type '${String(format.type)}' is not known.`);
  }

  const spec = format.json_schema;
  const name = spec?.name;
  if (spec === undefined || typeof name !== 'string' || !TOOL_NAME.test(name)) {
    throw invalidField('response_format.json_schema.name', "'response_format.json_schema.name' must be 1–64 letters, digits, '_' or '-'.");
  }
  if (tools.tools?.some((tool) => tool.name === name)) {
    throw invalidField('response_format.json_schema.name', `'response_format.json_schema.name' ('${name}') is also the name of a tool; rename one.`);
  }
  const schema = spec.schema ?? { type: 'object' };
  if (schema.type !== undefined && schema.type !== 'object') {
    throw invalidField('response_format.json_schema.schema', "The response schema's root must be an object schema.");
  }
  const answerTool: Tool = {
    name,
    description: spec.description ?? 'Give your final answer as the input of this tool, following its schema exactly.',
    input_schema: { ...schema, type: 'object' },
  };
  return {
    tools: [...(tools.tools ?? []), answerTool],
    toolChoice: answerToolChoice(name, tools),
    systemInstruction: undefined,
    answerToolName: name,
  };
}

/**
 * Without client tools (or with tool_choice "none") the answer tool is forced. With client tools
 * the model must call a tool, either one of them or the answer tool, unless the client forced a
 * specific tool of its own.
 */
function answerToolChoice(name: string, client: AnthropicTools): ToolChoice {
  const choice = client.toolChoice;
  if (client.tools === undefined || choice?.type === 'none') return { type: 'tool', name, disable_parallel_tool_use: true };
  if (choice?.type === 'tool') return choice;
  return choice?.disable_parallel_tool_use === true ? { type: 'any', disable_parallel_tool_use: true } : { type: 'any' };
}
