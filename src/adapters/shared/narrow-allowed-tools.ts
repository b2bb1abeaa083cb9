import type { ChatRequest, ToolDefinition } from '../types.js';
import { invalidField } from './unsupported-parameters.js';

type ToolSelection = Pick<ChatRequest, 'tools' | 'tool_choice'>;

/**
 * OpenAI's `tool_choice: {type: 'allowed_tools', allowed_tools: {mode, tools}}` lets the model
 * call only some of the listed tools (the full list stays, for the prompt cache). For a provider
 * without that form it means the same as sending only the allowed tools, with `mode` ('auto' or
 * 'required') as the tool choice; any other tool choice is returned as it came.
 */
export function narrowToAllowedTools(selection: ToolSelection): ToolSelection {
  const choice = selection.tool_choice;
  if (typeof choice !== 'object' || choice === null || choice.type !== 'allowed_tools') return selection;
  const tools = selection.tools ?? [];
  const kept: ToolDefinition[] = [];
  choice.allowed_tools.tools.forEach((allowed, index) => {
    const name = allowed.type === 'function' ? allowed.function?.name : undefined;
    const param = `tool_choice.allowed_tools.tools[${index}]`;
    if (typeof name !== 'string') throw invalidField(param, `${param} must be {type: 'function', function: {name}}: only function tools can be allowed.`);
    const tool = tools.find((candidate) => candidate.function.name === name);
    if (tool === undefined) throw invalidField(`${param}.function.name`, `tool_choice allows the function '${name}', which is not in 'tools'.`);
    if (!kept.includes(tool)) kept.push(tool);
  });
  return { tools: kept, tool_choice: choice.allowed_tools.mode };
}
