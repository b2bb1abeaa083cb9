import { GatewayError } from '../../errors.js';
import { invalidField } from '../shared/unsupported-parameters.js';
import type { ChatMessage, ContentPart, ImagePart, JsonObject, ToolCall } from '../types.js';
import { convertImageUrl, type ImageContext } from './convert-image-part.js';
import type { GeminiContent, GeminiPart } from './gemini-wire-types.js';

export interface ContentsContext extends ImageContext {
  /** The thoughtSignature to replay with an assistant tool call (thought-signatures.ts). */
  signatureForReplay(toolCallId: string): string | undefined;
}

export interface GeminiConversation {
  systemInstruction?: GeminiContent;
  contents: GeminiContent[];
}

interface PendingToolResult {
  /** Position of the answered call in the preceding assistant turn: results go upstream in call order. */
  callOrder: number;
  part: GeminiPart;
}

/**
 * OpenAI messages → Gemini `systemInstruction` + `contents` (wire-protocols §3): system and
 * developer text goes to the system instruction, assistant turns become `model` turns, and the
 * `tool` messages answering one assistant turn become a single `user` turn of functionResponses.
 */
export async function convertToGeminiContents(messages: ChatMessage[], context: ContentsContext): Promise<GeminiConversation> {
  const systemParts: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  let precedingToolCalls: ToolCall[] = [];
  let toolResults: PendingToolResult[] = [];

  const flushToolResults = () => {
    if (toolResults.length === 0) return;
    const ordered = [...toolResults].sort((a, b) => a.callOrder - b.callOrder);
    contents.push({ role: 'user', parts: ordered.map((result) => result.part) });
    toolResults = [];
  };

  for (const [index, message] of messages.entries()) {
    const param = `messages[${index}]`;
    if (message.role !== 'tool') flushToolResults();
    switch (message.role) {
      case 'system':
      case 'developer':
        systemParts.push(...textOnly(message.content, param).map((text) => ({ text })));
        break;
      case 'user': {
        // Gemini refuses an empty text part ("empty text parameter") and a turn without parts.
        const parts = (await userParts(message.content, param, context)).filter((part) => part.text !== '');
        if (parts.length > 0) contents.push({ role: 'user', parts });
        break;
      }
      case 'assistant': {
        precedingToolCalls = message.tool_calls ?? [];
        const parts = assistantParts(message, param, context);
        if (parts.length > 0) contents.push({ role: 'model', parts });
        break;
      }
      case 'tool':
        toolResults.push(functionResponse(message, param, precedingToolCalls));
        break;
      default:
        throw invalidField(`${param}.role`, `The role '${String(message.role)}' at '${param}.role' is not supported by Gemini.`);
    }
  }
  flushToolResults();
  if (contents.length === 0) {
    // Gemini answers 400 to a request without contents; said here, before the call counts.
    throw invalidField('messages', "'messages' needs at least one user or assistant message with content.");
  }

  return {
    ...(systemParts.length > 0 ? { systemInstruction: { role: 'system', parts: systemParts } } : {}),
    contents,
  };
}

/** System, assistant and tool content may only be text; other parts cannot be carried there. */
function textOnly(content: ChatMessage['content'], param: string): string[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return [content];
  return content.map((part, index) => {
    if (part.type === 'text' && typeof part.text === 'string') return part.text;
    throw invalidField(`${param}.content[${index}]`, `Only text parts are allowed at '${param}.content[${index}]' (got '${part.type}').`);
  });
}

async function userParts(content: ChatMessage['content'], param: string, context: ImageContext): Promise<GeminiPart[]> {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return [{ text: content }];
  const parts: GeminiPart[] = [];
  for (const [index, part] of content.entries()) {
    parts.push(await userPart(part, `${param}.content[${index}]`, context));
  }
  return parts;
}

async function userPart(part: ContentPart, param: string, context: ImageContext): Promise<GeminiPart> {
  if (part.type === 'text' && typeof part.text === 'string') return { text: part.text };
  if (part.type === 'image_url') {
    const url = (part as ImagePart).image_url?.url;
    if (typeof url !== 'string') throw invalidField(`${param}.image_url.url`, `'${param}.image_url.url' must be a string.`);
    return convertImageUrl(url, `${param}.image_url.url`, context);
  }
  throw new GatewayError('unsupported_parameter', `The content part type '${part.type}' at '${param}' is not supported by Gemini.`, {
    param,
    hint: 'Send text and image_url parts only to this model.',
  });
}

function assistantParts(message: ChatMessage, param: string, context: ContentsContext): GeminiPart[] {
  // Clients often send content "" beside tool_calls: an empty text part would only be noise.
  const parts: GeminiPart[] = textOnly(message.content, param)
    .filter((text) => text !== '')
    .map((text) => ({ text }));
  for (const [index, call] of (message.tool_calls ?? []).entries()) {
    const callParam = `${param}.tool_calls[${index}]`;
    const thoughtSignature = context.signatureForReplay(call.id);
    parts.push({
      functionCall: { name: call.function.name, args: parseArguments(call.function.arguments, `${callParam}.function.arguments`) },
      ...(thoughtSignature === undefined ? {} : { thoughtSignature }),
    });
  }
  return parts;
}

/** Gemini's `args` is a JSON object (a protobuf Struct), never a string or an array. */
function parseArguments(text: string, param: string): JsonObject {
  // A no-argument call streamed by some clients accumulates to "": that means no arguments.
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidField(param, `'${param}' is not valid JSON.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidField(param, `'${param}' must be a JSON object.`);
  }
  return parsed as JsonObject;
}

function functionResponse(message: ChatMessage, param: string, precedingToolCalls: ToolCall[]): PendingToolResult {
  const callOrder = precedingToolCalls.findIndex((call) => call.id === message.tool_call_id);
  // Gemini matches results to calls by function name: it has no call ids.
  const name = callOrder >= 0 ? precedingToolCalls[callOrder]?.function.name : undefined;
  if (name === undefined) {
    throw invalidField(
      `${param}.tool_call_id`,
      `'${param}.tool_call_id' (${String(message.tool_call_id)}) does not answer a tool call of the preceding assistant message.`,
    );
  }
  const content = textOnly(message.content, param).join('');
  return { callOrder, part: { functionResponse: { name, response: { name, content } } } };
}
