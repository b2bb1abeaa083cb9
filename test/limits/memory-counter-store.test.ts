import t from 'tap';
import { MemoryCounterStore } from '../../src/limits/memory-counter-store.js';
import { counterStoreContract } from './counter-store-contract.js';

counterStoreContract(t, async (t) => {
  const store = new MemoryCounterStore();
  t.teardown(() => store.close());
  return store;
});
