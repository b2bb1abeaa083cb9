import t from 'tap';
import { randomBytes } from 'node:crypto';
import { createSecretBox } from '../../src/secrets/secret-box.js';

t.test('seals and opens; tampering and the wrong key are detected', async (t) => {
  const box = createSecretBox(randomBytes(32));
  const sealed = box.seal('sk-very-secret');
  t.notMatch(sealed, /sk-very-secret/);
  t.equal(box.open(sealed), 'sk-very-secret');
  t.not(box.seal('sk-very-secret'), sealed, 'a fresh IV every time');
  const parts = sealed.split(':');
  parts[3] = Buffer.from('tampered').toString('base64');
  t.throws(() => box.open(parts.join(':')));
  t.throws(() => createSecretBox(randomBytes(32)).open(sealed), { name: 'SecretKeyMismatchError', message: /cannot be decrypted with this GATEWAY_SECRET_KEY: it was sealed under another key/ }, 'the wrong key is named as such');
  t.throws(() => createSecretBox(randomBytes(16)));
});
