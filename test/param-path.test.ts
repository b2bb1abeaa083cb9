import { test } from 'tap';
import { paramPath, paramPathFromPointer } from '../src/param-path.js';

test('array positions go in brackets, property names after dots', async (t) => {
  t.equal(paramPath(['messages', 0, 'content', 1, 'type']), 'messages[0].content[1].type');
  t.equal(paramPath(['model']), 'model');
  t.equal(paramPath([]), '');
});

test('a JSON pointer is read against the value it points into', async (t) => {
  const body = { messages: [{ role: 'user', content: [{ type: 'text' }, { type: 'image_url' }] }], logit_bias: { '50256': 'x' }, 'a/b': { '~c': 1 } };
  t.equal(paramPathFromPointer('/messages/0/content/1/type', body), 'messages[0].content[1].type');
  // logit_bias keys are token ids: numeric, but object keys, not positions.
  t.equal(paramPathFromPointer('/logit_bias/50256', body), 'logit_bias.50256');
  // JSON pointer escapes: ~1 is '/', ~0 is '~'.
  t.equal(paramPathFromPointer('/a~1b/~0c', body), 'a/b.~c');
  t.equal(paramPathFromPointer('', body), '');
  // A path into a value that is not there (a missing parent) still reads as property names.
  t.equal(paramPathFromPointer('/tools/0', {}), 'tools.0');
});
