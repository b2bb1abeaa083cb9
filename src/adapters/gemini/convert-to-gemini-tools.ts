import { FunctionCallingMode } from '@google/generative-ai';
import { invalidField } from '../shared/unsupported-parameters.js';
import type { ToolChoice, ToolDefinition } from '../types.js';
import { convertJsonSchemaToGeminiSchema } from './convert-json-schema-to-gemini-schema.js';
import type { GeminiTool, GeminiToolConfig } from './gemini-wire-types.js';

/** OpenAI function tools → one Gemini tool holding all the function declarations. */
export function convertToGeminiTools(tools: ToolDefinition[] | undefined): GeminiTool[] | undefined {
  if (tools === undefined || tools.length === 0) return undefined;
  const functionDeclarations = tools.map((tool, index) => {
    const param = `tools[${index}]`;
    if (tool.type !== 'function' || typeof tool.function?.name !== 'string') {
      throw invalidField(param, `'${param}' must be a function tool with a name; Gemini takes no other tool type.`);
    }
    const parameters = convertJsonSchemaToGeminiSchema(tool.function.parameters, `${param}.function.parameters`);
    return {
      name: tool.function.name,
      ...(tool.function.description === undefined ? {} : { description: tool.function.description }),
      ...(parameters === undefined ? {} : { parameters }),
    };
  });
  return [{ functionDeclarations }];
}

/**
 * `tool_choice` → `toolConfig.functionCallingConfig`: auto → AUTO, none → NONE, required → ANY,
 * a named function → ANY restricted to that name.
 */
export function convertToGeminiToolConfig(
  toolChoice: ToolChoice | undefined | null,
  tools: ToolDefinition[] | undefined,
): GeminiToolConfig | undefined {
  if (toolChoice === undefined || toolChoice === null) return undefined;
  const hasTools = tools !== undefined && tools.length > 0;
  switch (toolChoice) {
    case 'auto':
      return hasTools ? { functionCallingConfig: { mode: FunctionCallingMode.AUTO } } : undefined;
    case 'none':
      return hasTools ? { functionCallingConfig: { mode: FunctionCallingMode.NONE } } : undefined;
    case 'required':
      if (!hasTools) throw invalidField('tool_choice', "tool_choice 'required' needs at least one tool in 'tools'.");
      return { functionCallingConfig: { mode: FunctionCallingMode.ANY } };
  }
  const name = typeof toolChoice === 'object' && toolChoice.type === 'function' ? toolChoice.function?.name : undefined;
  if (typeof name !== 'string') {
    throw invalidField('tool_choice', "tool_choice must be 'none', 'auto', 'required' or {type: 'function', function: {name}} for Gemini.");
  }
  if (!tools?.some((tool) => tool.function?.name === name)) {
    throw invalidField('tool_choice', `tool_choice names the function '${name}', which is not in 'tools'.`);
  }
  return { functionCallingConfig: { mode: FunctionCallingMode.ANY, allowedFunctionNames: [name] } };
}
