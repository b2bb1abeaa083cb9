import type {
  ContentBlockParam,
  ImageBlockParam,
  MessageParam,
  TextBlockParam,
  ToolResultBlockParam,
  ToolUseBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import { GatewayError } from '../../errors.js';
import { invalidField } from '../shared/unsupported-parameters.js';
import type { ChatMessage, ContentPart, ToolCall } from '../types.js';
import { convertImageUrl } from './convert-image-url.js';

export interface AnthropicPrompt {
  /** Every system and developer message, joined; undefined when there were none. */
  system: string | undefined;
  messages: MessageParam[];
}

/** One Anthropic turn being built; tool results are kept apart so they can lead the turn. */
interface Turn {
  role: 'user' | 'assistant';
  toolResults: ToolResultBlockParam[];
  blocks: ContentBlockParam[];
}

const SYSTEM_SEPARATOR = '\n\n';

/**
 * OpenAI messages → Anthropic's top-level `system` plus alternating user/assistant turns
 * (wire-protocols §2 "OpenAI → Anthropic request rules" 1–5):
 * - system and developer messages, wherever they appear, become `system`;
 * - `tool` messages become `tool_result` blocks of a user turn, and consecutive user-side
 *   messages merge into one turn whose tool results come first (Anthropic wants the results of
 *   an assistant's tool calls at the start of the next user turn);
 * - consecutive assistant messages merge too; their `tool_calls` become `tool_use` blocks;
 * - empty text is dropped (Anthropic rejects empty text blocks), and so is a message left with
 *   nothing to say. A message's `name` has no Anthropic equivalent and is not sent.
 */
export function convertToAnthropicMessages(messages: readonly ChatMessage[]): AnthropicPrompt {
  const systemTexts: string[] = [];
  const turns: Turn[] = [];

  const append = (role: Turn['role'], blocks: ContentBlockParam[], toolResults: ToolResultBlockParam[] = []): void => {
    if (blocks.length === 0 && toolResults.length === 0) return;
    let turn = turns.at(-1);
    if (turn === undefined || turn.role !== role) turns.push((turn = { role, toolResults: [], blocks: [] }));
    turn.toolResults.push(...toolResults);
    turn.blocks.push(...blocks);
  };

  messages.forEach((message, i) => {
    const param = `messages[${i}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        systemTexts.push(...textParts(message.content, param));
        break;
      case 'user':
        append('user', userBlocks(message.content, param));
        break;
      case 'tool':
        append('user', [], [toolResult(message, param)]);
        break;
      case 'assistant':
        append('assistant', [...textParts(message.content, param).map(textBlock), ...toolUses(message.tool_calls, param)]);
        break;
      default:
        throw invalidField(`${param}.role`, `The role '${String(message.role)}' at '${param}.role' is not supported.`);
    }
  });

  if (turns.length === 0) {
    throw invalidField('messages', "'messages' needs at least one user or assistant message with content.");
  }
  return {
    system: systemTexts.length > 0 ? systemTexts.join(SYSTEM_SEPARATOR) : undefined,
    messages: turns.map((turn) => ({ role: turn.role, content: [...turn.toolResults, ...turn.blocks] })),
  };
}

function textBlock(text: string): TextBlockParam {
  return { type: 'text', text };
}

function contentParts(content: ChatMessage['content'], param: string): ContentPart[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (Array.isArray(content)) return content;
  throw invalidField(`${param}.content`, `The content at '${param}.content' must be a string or an array of parts.`);
}

/** The text of a text part, or of an assistant's refusal part; undefined for any other part. */
function textOf(part: ContentPart): string | undefined {
  if (part.type === 'text' && typeof part.text === 'string') return part.text;
  if (part.type === 'refusal' && typeof part.refusal === 'string') return part.refusal;
  return undefined;
}

function unsupportedPart(part: ContentPart, param: string): GatewayError {
  return new GatewayError('unsupported_parameter', `Content parts of type '${String(part.type)}' (at '${param}') are not supported by Anthropic.`, {
    param,
    hint: 'Send text and images only (image_url with a data: or http(s) URL).',
  });
}

/** Non-empty texts of a system, developer or assistant message (assistant refusals count as text). */
function textParts(content: ChatMessage['content'], param: string): string[] {
  return contentParts(content, param).flatMap((part, j) => {
    const text = textOf(part);
    if (text === undefined) throw unsupportedPart(part, `${param}.content[${j}]`);
    return text === '' ? [] : [text];
  });
}

/** Text and image blocks of a user message or of a tool result. */
function userBlocks(content: ChatMessage['content'], param: string): Array<TextBlockParam | ImageBlockParam> {
  return contentParts(content, param).flatMap((part, j): Array<TextBlockParam | ImageBlockParam> => {
    const partParam = `${param}.content[${j}]`;
    if (part.type === 'text' && typeof part.text === 'string') return part.text === '' ? [] : [textBlock(part.text)];
    if (part.type === 'image_url') {
      const url: unknown = (part.image_url as { url?: unknown } | undefined)?.url;
      if (typeof url !== 'string') throw invalidField(`${partParam}.image_url.url`, `The image part at '${partParam}' has no URL.`);
      return [convertImageUrl(url, `${partParam}.image_url.url`)];
    }
    throw unsupportedPart(part, partParam);
  });
}

function toolResult(message: ChatMessage, param: string): ToolResultBlockParam {
  if (typeof message.tool_call_id !== 'string' || message.tool_call_id === '') {
    throw invalidField(`${param}.tool_call_id`, `The tool message at '${param}' has no '${param}.tool_call_id'.`);
  }
  const result: ToolResultBlockParam = { type: 'tool_result', tool_use_id: message.tool_call_id };
  if (typeof message.content === 'string') {
    if (message.content !== '') result.content = message.content;
    return result;
  }
  const blocks = userBlocks(message.content, param);
  if (blocks.length > 0) result.content = blocks;
  return result;
}

function toolUses(toolCalls: ToolCall[] | undefined, param: string): ToolUseBlockParam[] {
  if (toolCalls === undefined || toolCalls === null) return [];
  if (!Array.isArray(toolCalls)) throw invalidField(`${param}.tool_calls`, `'${param}.tool_calls' must be an array.`);
  return toolCalls.map((call, j) => {
    const callParam = `${param}.tool_calls[${j}]`;
    if (typeof call?.id !== 'string' || typeof call.function?.name !== 'string') {
      throw invalidField(callParam, `The tool call at '${callParam}' needs an id and a function name.`);
    }
    return {
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: parseToolArguments(call.function.arguments, `${callParam}.function.arguments`),
    };
  });
}

/** Anthropic takes the arguments as an object, so the JSON text must parse into one. */
function parseToolArguments(text: unknown, param: string): Record<string, unknown> {
  const source = typeof text === 'string' && text.trim() !== '' ? text : '{}';
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch {
    throw invalidField(param, `The tool-call arguments at '${param}' are not valid JSON.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidField(param, `The tool-call arguments at '${param}' must be a JSON object.`);
  }
  return parsed as Record<string, unknown>;
}
