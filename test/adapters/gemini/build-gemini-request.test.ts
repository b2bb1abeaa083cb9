import t from 'tap';
import { buildGeminiRequest, withoutDroppedParameters } from '../../../src/adapters/gemini/build-gemini-request.js';
import type { ContentsContext } from '../../../src/adapters/gemini/convert-to-gemini-contents.js';
import type { ChatRequest } from '../../../src/adapters/types.js';

const context: ContentsContext = { fetchImage: undefined, signal: new AbortController().signal, signatureForReplay: () => undefined };
const base: ChatRequest = { model: 'gemini', messages: [{ role: 'user', content: 'hi' }] };

function options(...dropped: string[]) {
  return { dropParams: new Set(dropped), upstreamModel: 'gemini-2.5-flash' };
}

t.test('a minimal request is only contents', async (t) => {
  t.same(await buildGeminiRequest(base, options(), context), { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
});

t.test('parameters Gemini cannot honour are 400 unsupported_parameter unless dropped', async (t) => {
  const cases: Array<{ name: string; extra: Record<string, unknown> }> = [
    { name: 'logprobs', extra: { logprobs: true } },
    { name: 'top_logprobs', extra: { top_logprobs: 3 } },
    { name: 'user', extra: { user: 'u-1' } },
    { name: 'reasoning_effort', extra: { reasoning_effort: 'low' } },
    { name: 'parallel_tool_calls', extra: { parallel_tool_calls: false } },
  ];
  for (const { name, extra } of cases) {
    await t.rejects(buildGeminiRequest({ ...base, ...extra }, options(), context), { code: 'unsupported_parameter', status: 400, param: name }, name);
    t.same(await buildGeminiRequest({ ...base, ...extra }, options(name), context), { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }, `${name} dropped`);
  }
  t.ok(await buildGeminiRequest({ ...base, parallel_tool_calls: true, stream: true, stream_options: { include_usage: true } }, options(), context));
});

t.test('a dropped parameter is dropped even when Gemini could honour it', async (t) => {
  const body = await buildGeminiRequest({ ...base, temperature: 0.3, top_p: 0.5 }, options('temperature'), context);
  t.same(body.generationConfig, { topP: 0.5 });
  t.same(withoutDroppedParameters({ model: 'm', messages: [], seed: 1 }, new Set(['model', 'messages', 'seed'])), { model: 'm', messages: [] }, 'model and messages are never dropped');
});
