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

t.test('embeddings: one vector per input, a token array ([1, 2, 3]) being one input as OpenAI reads it', async (t) => {
  const mock = createMockAdapter({});
  const embed = (input: unknown) => mock.embed!({ model: 'mock-embed', input } as never, call());
  t.equal((await embed([1, 2, 3])).vectors.length, 1, 'one token array: one vector (it used to be three)');
  t.equal((await embed([[1, 2, 3], [4, 5]])).vectors.length, 2, 'two token arrays: two vectors');
  t.equal((await embed(['a', 'b'])).vectors.length, 2);
  t.equal((await embed('a')).vectors.length, 1);
  t.same((await embed([1, 2, 3])).vectors[0], (await embed([[1, 2, 3]])).vectors[0], 'the same tokens embed the same either way');
});
