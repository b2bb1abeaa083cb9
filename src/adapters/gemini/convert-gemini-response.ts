import type { ChatChoice, ChatResult, ToolCall } from '../types.js';
import { convertGeminiUsage } from './convert-gemini-usage.js';
import type { GeminiCandidate, GeminiResponse } from './gemini-wire-types.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';
import type { ThoughtSignatureStore } from './thought-signatures.js';
import { ANSWER_NOT_READABLE, unreadableAnswer } from '../shared/provider-failure.js';

/** Issues the id of each tool call and remembers its thought signature. */
export type ToolCallIssuer = Pick<ThoughtSignatureStore, 'issueToolCall'>;

/**
 * A complete Gemini response → the adapter's ChatResult: one choice per candidate. Thought
 * parts (`thought: true`) are the model's reasoning summary, not its answer, so they are left
 * out. A prompt blocked before any candidate was produced becomes one empty `content_filter`
 * choice, as OpenAI does.
 */
export function convertGeminiResponse(response: GeminiResponse, toolCalls: ToolCallIssuer): ChatResult {
  if (response === null || typeof response !== 'object' || Array.isArray(response)) throw unreadableAnswer(ANSWER_NOT_READABLE, 'it is not a Gemini response object', undefined);
  // No candidate and no block reason: nothing was answered, and an empty "stop" would pass that off as an answer.
  if ((response.candidates ?? []).length === 0 && response.promptFeedback?.blockReason === undefined) {
    throw unreadableAnswer(ANSWER_NOT_READABLE, 'it holds no candidate and no reason for having none', undefined);
  }
  const candidates = [...(response.candidates ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const choices =
    candidates.length > 0
      ? candidates.map((candidate, position) => convertCandidate(candidate, position, toolCalls))
      : [emptyChoice(response.promptFeedback?.blockReason === undefined ? 'stop' : 'content_filter')];
  return {
    choices,
    usage: convertGeminiUsage(response.usageMetadata),
    ...(response.responseId === undefined ? {} : { providerResponseId: response.responseId }),
  };
}

function convertCandidate(candidate: GeminiCandidate, position: number, issuer: ToolCallIssuer): ChatChoice {
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const part of candidate.content?.parts ?? []) {
    if (part.thought === true) continue;
    if (typeof part.text === 'string') {
      text += part.text;
    } else if (part.functionCall !== undefined) {
      toolCalls.push({
        id: issuer.issueToolCall(part.thoughtSignature),
        type: 'function',
        function: { name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) },
      });
    }
  }
  return {
    index: candidate.index ?? position,
    message: {
      role: 'assistant',
      // OpenAI sends null content beside tool calls; a text answer keeps its (possibly empty) text.
      content: toolCalls.length > 0 && text === '' ? null : text,
      refusal: null,
      ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    },
    logprobs: null,
    finish_reason: mapGeminiFinishReason(candidate.finishReason, toolCalls.length > 0),
  };
}

function emptyChoice(finishReason: ChatChoice['finish_reason']): ChatChoice {
  return { index: 0, message: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: finishReason };
}
