import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { count } from 'drizzle-orm';
import type { GatewayDb } from '../db/client.js';
import { adminUsers } from '../db/schema.js';
import { hashPassword } from './passwords.js';

export const FIRST_ADMIN_USERNAME = 'admin';
export const PASSWORD_FILE_NAME = 'admin-password.txt';

export type FirstAdminOutcome =
  | { created: false }
  | { created: true; username: string; source: 'environment' }
  | { created: true; username: string; source: 'file'; passwordFile: string };

/**
 * On a first start (no admin user at all) creates `admin` as platform admin, with
 * GATEWAY_ADMIN_PASSWORD when given; otherwise with a generated password written once to a
 * 0600 file in the data dir. A usable file left from an earlier start (the database was reset)
 * is reused rather than replaced, so what the operator was told stays true.
 */
export async function ensureFirstAdmin(db: GatewayDb, options: { dataDir: string; password: string | undefined }): Promise<FirstAdminOutcome> {
  const existing = db.select({ n: count() }).from(adminUsers).get()?.n ?? 0;
  if (existing > 0) return { created: false };

  let password = options.password;
  let passwordFile: string | undefined;
  if (password === undefined) {
    passwordFile = path.join(options.dataDir, PASSWORD_FILE_NAME);
    password = existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : undefined;
    if (password === undefined || password.length < 12) {
      password = randomBytes(24).toString('base64url');
      writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    }
    // The mode given to writeFileSync only applies to a new file; make sure of it either way.
    chmodSync(passwordFile, 0o600);
  }

  const passwordHash = await hashPassword(password);
  const inserted = db
    .insert(adminUsers)
    .values({ username: FIRST_ADMIN_USERNAME, passwordHash, role: 'platform_admin', tenantId: null, createdAt: new Date() })
    .onConflictDoNothing()
    .run();
  // Another replica sharing the database may have bootstrapped first.
  if (inserted.changes === 0) return { created: false };
  return passwordFile === undefined
    ? { created: true, username: FIRST_ADMIN_USERNAME, source: 'environment' }
    : { created: true, username: FIRST_ADMIN_USERNAME, source: 'file', passwordFile };
}
