import { narrowToAllowedTools } from '../shared/narrow-allowed-tools.js';
import type { ChatMessage, ChatRequest, JsonObject, JsonValue, ToolDefinition } from '../types.js';

/** What the mock model answers: deterministic for a given request, so demos and tests repeat. */
export type MockReply =
  | { kind: 'text'; text: string }
  | { kind: 'tool_call'; id: string; name: string; arguments: string };

export function messageText(message: ChatMessage): string {
  if (typeof message.content === 'string') return message.content;
  if (!Array.isArray(message.content)) return '';
  return message.content
    .map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .join('');
}

export function generateMockReply(request: ChatRequest, fixedReply: string | undefined): MockReply {
  const last = request.messages[request.messages.length - 1];
  const tool = chooseTool(request);
  if (tool && last?.role !== 'tool') {
    return {
      kind: 'tool_call',
      id: `call_mock_${request.messages.length}`,
      name: tool.function.name,
      arguments: JSON.stringify(sampleForSchema(tool.function.parameters ?? {}, 0)),
    };
  }
  if (fixedReply !== undefined) return { kind: 'text', text: fixedReply };
  if (last?.role === 'tool') return { kind: 'text', text: `The tool answered: ${truncate(messageText(last), 200)}` };
  const lastUser = [...request.messages].reverse().find((message) => message.role === 'user');
  const said = lastUser ? truncate(messageText(lastUser), 200) : '';
  return { kind: 'text', text: `This is the mock model. You said: "${said}"` };
}

function chooseTool(request: ChatRequest): ToolDefinition | undefined {
  const selection = narrowToAllowedTools(request);
  const tools = selection.tools ?? [];
  const choice = selection.tool_choice;
  if (tools.length === 0 || choice === 'none') return undefined;
  if (typeof choice === 'object' && choice !== null && choice.type === 'function') return tools.find((tool) => tool.function.name === choice.function.name);
  return tools[0];
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** A value that satisfies simple JSON Schemas: required properties by type, enums by their first member. */
function sampleForSchema(schema: JsonObject, depth: number): JsonValue {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0] ?? null;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return 'mock';
    case 'number':
      return 1.5;
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'null':
      return null;
    default: {
      const properties = (schema.properties ?? {}) as Record<string, JsonObject>;
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : Object.keys(properties);
      const out: JsonObject = {};
      if (depth > 4) return out;
      for (const name of required) {
        const property = properties[name];
        if (property) out[name] = sampleForSchema(property, depth + 1);
      }
      return out;
    }
  }
}
