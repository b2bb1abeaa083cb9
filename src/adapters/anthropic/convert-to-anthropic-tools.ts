import type { Tool, ToolChoice } from '@anthropic-ai/sdk/resources/messages';
import { GatewayError } from '../../errors.js';
import { invalidField } from '../shared/unsupported-parameters.js';
import type { ChatRequest } from '../types.js';

export interface AnthropicTools {
  tools: Tool[] | undefined;
  toolChoice: ToolChoice | undefined;
}

/** Anthropic requires an object schema; a function without parameters takes an empty object. */
const EMPTY_OBJECT_SCHEMA: Tool.InputSchema = { type: 'object', properties: {} };

/**
 * OpenAI `tools`, `tool_choice` and `parallel_tool_calls` → Anthropic `tools` and `tool_choice`
 * (wire-protocols §2 rule 7). `parallel_tool_calls: false` has no field of its own in Anthropic:
 * it rides on the tool choice as `disable_parallel_tool_use`. A function's `strict` flag has no
 * equivalent and is not sent; the schema itself still is.
 */
export function convertToAnthropicTools(
  request: Pick<ChatRequest, 'tools' | 'tool_choice' | 'parallel_tool_calls'>,
): AnthropicTools {
  const tools = convertTools(request.tools);
  if (tools === undefined) {
    if (typeof request.tool_choice === 'object' && request.tool_choice !== null) {
      throw invalidField('tool_choice', "'tool_choice' names a function, but the request has no tools.");
    }
    // A call cannot be required with nothing to call (Gemini's adapter and OpenAI refuse it too).
    if (request.tool_choice === 'required') throw invalidField('tool_choice', "tool_choice 'required' needs at least one tool in 'tools'.");
    // 'auto', 'none' or parallel_tool_calls without tools have nothing to act on.
    return { tools: undefined, toolChoice: undefined };
  }
  const choice = request.tool_choice;
  if (typeof choice === 'object' && choice !== null && choice.type === 'function' && typeof choice.function?.name === 'string' && !tools.some((tool) => tool.name === choice.function.name)) {
    throw invalidField('tool_choice', `tool_choice names the function '${choice.function.name}', which is not in 'tools'.`);
  }
  return { tools, toolChoice: convertToolChoice(choice, request.parallel_tool_calls === false) };
}

function convertTools(tools: ChatRequest['tools']): Tool[] | undefined {
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools)) throw invalidField('tools', "'tools' must be an array.");
  if (tools.length === 0) return undefined;
  return tools.map((tool, i): Tool => {
    if (tool?.type !== 'function') {
      throw new GatewayError('unsupported_parameter', `Tools of type '${String(tool?.type)}' (at 'tools[${i}]') are not supported by Anthropic.`, {
        param: `tools[${i}].type`,
        hint: "Send function tools only ({type: 'function', function: {name, parameters}}).",
      });
    }
    const fn = tool.function;
    if (typeof fn?.name !== 'string' || fn.name === '') {
      throw invalidField(`tools[${i}].function.name`, `The tool at 'tools[${i}]' has no function name.`);
    }
    return {
      name: fn.name,
      ...(typeof fn.description === 'string' && fn.description !== '' ? { description: fn.description } : {}),
      input_schema: fn.parameters ? { ...fn.parameters, type: 'object' } : EMPTY_OBJECT_SCHEMA,
    };
  });
}

function convertToolChoice(choice: ChatRequest['tool_choice'], disableParallel: boolean): ToolChoice | undefined {
  const parallel = disableParallel ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined || choice === null) return disableParallel ? { type: 'auto', ...parallel } : undefined;
  if (choice === 'auto') return { type: 'auto', ...parallel };
  if (choice === 'required') return { type: 'any', ...parallel };
  if (choice === 'none') return { type: 'none' };
  if (typeof choice === 'object' && choice.type === 'function' && typeof choice.function?.name === 'string') {
    return { type: 'tool', name: choice.function.name, ...parallel };
  }
  throw new GatewayError('unsupported_parameter', "This form of 'tool_choice' is not supported by Anthropic.", {
    param: 'tool_choice',
    hint: "Use 'auto', 'required', 'none' or {type: 'function', function: {name}}.",
  });
}
