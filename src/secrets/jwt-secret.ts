import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** GATEWAY_JWT_SECRET when set; otherwise one generated once into the data dir (0600). */
export function resolveJwtSecret(fromEnv: string | undefined, dataDir: string): { secret: string; generatedAt?: string } {
  if (fromEnv !== undefined) return { secret: fromEnv };
  const file = path.join(dataDir, 'jwt.secret');
  if (existsSync(file)) return { secret: readFileSync(file, 'utf8').trim() };
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  return { secret, generatedAt: file };
}
