import t from 'tap';
import { createMockAdapter } from '../../../src/adapters/mock/mock-adapter.js';
import type { ChatRequest } from '../../../src/adapters/types.js';

const call = (dropParams: string[] = []) => ({ signal: new AbortController().signal, requestId: 'req_mock', upstreamModel: 'mock-1', dropParams: new Set(dropParams) });
const ask = (extra: Record<string, unknown>) => ({ model: 'mock-chat', messages: [{ role: 'user', content: 'Hi' }], ...extra }) as ChatRequest;

t.test('the mock refuses what would change the answer’s shape, as a real adapter does, unless the model drops it', async (t) => {
  const mock = createMockAdapter({});
  for (const [extra, param] of [
    [{ n: 3 }, 'n'],
    [{ logprobs: true }, 'logprobs'],
    [{ logprobs: true, top_logprobs: 2 }, 'logprobs'],
  ] as const) {
    await t.rejects(mock.chat(ask(extra), call()), { code: 'unsupported_parameter', status: 400, param }, `chat ${JSON.stringify(extra)}`);
    await t.rejects(mock.chatStream(ask(extra), call()), { code: 'unsupported_parameter', param }, `stream ${JSON.stringify(extra)}`);
  }
  t.equal((await mock.chat(ask({ n: 3 }), call(['n']))).choices.length, 1, "a model that lists n in dropParams: one choice, as configured");
  const fine = await mock.chat(ask({ n: 1, logprobs: false, temperature: 0.2, seed: 7, frobnicate: 1 }), call());
  t.equal(fine.choices.length, 1, 'sampling parameters and unknown ones: accepted, no effect');
});
