import t from 'tap';
import { capHeapGrowth, HEAP_GROWING_PERCENT } from '../src/heap-growth.js';

t.test('caps the heap growth at start, unless the operator set it on the command line', async (t) => {
  const set: string[] = [];
  capHeapGrowth(['--enable-source-maps'], (flags) => set.push(flags));
  t.same(set, [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`], 'set when not given');
  capHeapGrowth(['--heap-growing-percent=80'], (flags) => set.push(flags));
  capHeapGrowth(['--heap_growing_percent=80'], (flags) => set.push(flags));
  t.equal(set.length, 1, "the operator's value is left alone, in either spelling");
});

