import t from 'tap';
import type { ChatRequest } from '../../../src/adapters/types.js';
import { checkGeminiChatRequest } from '../../../src/adapters/gemini/check-gemini-request.js';

const options = { upstreamModel: 'gemini-2.5-flash', dropParams: new Set<string>() };
const withImage = (url: string): ChatRequest => ({
  model: 'gemini',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url } }] }],
});

t.test('a request Gemini can take passes, an http(s) image included, without a download', async (t) => {
  await t.resolves(checkGeminiChatRequest(withImage('http://198.51.100.7/cat.png'), options, true));
});

t.test('an http(s) image on a deployment that may not download images is refused, as the call would be', async (t) => {
  await t.rejects(checkGeminiChatRequest(withImage('http://198.51.100.7/cat.png'), options, false), { code: 'unsupported_parameter', param: 'messages[0].content[1].image_url.url' });
});

t.test('what only the message translation finds is refused too: a malformed data: URL, an audio part, a parameter', async (t) => {
  await t.rejects(checkGeminiChatRequest(withImage('data:image/png;base64'), options, true), { code: 'invalid_request', param: 'messages[0].content[1].image_url.url' });
  const audio = { model: 'gemini', messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }] } as ChatRequest;
  await t.rejects(checkGeminiChatRequest(audio, options, true), { code: 'unsupported_parameter', param: 'messages[0].content[0]' });
  await t.rejects(checkGeminiChatRequest({ ...withImage('data:image/png;base64,AAAA'), parallel_tool_calls: false }, options, true), { code: 'unsupported_parameter', param: 'parallel_tool_calls' });
});
