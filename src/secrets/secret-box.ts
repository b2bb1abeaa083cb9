import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** AES-256-GCM sealing of provider credentials at rest (DESIGN §3). */
export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

const VERSION = 'v1';

/** A credential sealed under another key: the gateway runs with a GATEWAY_SECRET_KEY its data was not written with. */
export class SecretKeyMismatchError extends Error {
  override name = 'SecretKeyMismatchError';
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('The credential-encryption key must be 32 bytes.');
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv.toString('base64'), tag.toString('base64'), ciphertext.toString('base64')].join(':');
    },
    open(sealed) {
      const [version, iv, tag, ciphertext] = sealed.split(':');
      if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined) {
        throw new Error('A stored credential is not in the expected sealed form.');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
      } catch (error) {
        // GCM's tag check is what fails: "Unsupported state or unable to authenticate data" said nothing useful.
        throw new SecretKeyMismatchError(
          'A stored provider credential cannot be decrypted with this GATEWAY_SECRET_KEY: it was sealed under another key. ' +
            'Start the gateway with the key its data was written with (GATEWAY_SECRET_KEY, or secret.key in GATEWAY_DATA_DIR when the variable is unset).',
          { cause: error },
        );
      }
    },
  };
}

export interface ResolvedKey {
  key: Buffer;
  /** Set when the key was generated into the data dir (the caller warns once). */
  generatedAt?: string;
}

/**
 * GATEWAY_SECRET_KEY when set; otherwise a key generated once into the data dir (0600), so a
 * single-node install works without setup. Losing that file loses the stored credentials.
 */
export function resolveSecretKey(hexFromEnv: string | undefined, dataDir: string): ResolvedKey {
  if (hexFromEnv !== undefined) return { key: Buffer.from(hexFromEnv, 'hex') };
  const file = path.join(dataDir, 'secret.key');
  if (existsSync(file)) return { key: Buffer.from(readFileSync(file, 'utf8').trim(), 'hex') };
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return { key, generatedAt: file };
}
