import t from 'tap';
import { newToolCallId, SKIP_THOUGHT_SIGNATURE, ThoughtSignatureStore } from '../../../src/adapters/gemini/thought-signatures.js';

t.test('tool-call ids look like OpenAI ids and never repeat', async (t) => {
  const ids = new Set(Array.from({ length: 1000 }, newToolCallId));
  t.equal(ids.size, 1000);
  for (const id of [...ids].slice(0, 5)) t.match(id, /^call_[0-9a-f]{24}$/);
});

t.test('a store replays what it received, nothing for unsigned calls, the sentinel for unknown ids', async (t) => {
  const store = new ThoughtSignatureStore();
  const signed = store.issueToolCall('SIG');
  const unsigned = store.issueToolCall(undefined);
  t.equal(store.signatureForReplay(signed), 'SIG');
  t.equal(store.signatureForReplay(unsigned), undefined);
  t.equal(store.signatureForReplay('call_made_up_by_the_client'), SKIP_THOUGHT_SIGNATURE);
  t.equal(SKIP_THOUGHT_SIGNATURE, 'skip_thought_signature_validator');
});

t.test('the store is bounded: the oldest entries go first and fall back to the sentinel', async (t) => {
  const store = new ThoughtSignatureStore(3);
  const ids = ['A', 'B', 'C', 'D'].map((signature) => store.issueToolCall(signature));
  t.equal(store.size, 3);
  t.equal(store.signatureForReplay(ids[0]!), SKIP_THOUGHT_SIGNATURE, 'evicted');
  t.same(ids.slice(1).map((id) => store.signatureForReplay(id)), ['B', 'C', 'D']);
});

t.test('stores are independent: no state is shared between adapter instances', async (t) => {
  const first = new ThoughtSignatureStore();
  const second = new ThoughtSignatureStore();
  const id = first.issueToolCall('SIG');
  t.equal(second.signatureForReplay(id), SKIP_THOUGHT_SIGNATURE);
});
