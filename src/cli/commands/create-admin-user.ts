import { createAdminUser } from '../../admin/admin-users-store.js';
import { hashPassword } from '../../admin/passwords.js';
import { openDatabase } from '../../db/client.js';
import { isGatewayError } from '../../errors.js';
import { adminUserBody } from '../../routes/admin/access-schemas.js';
import { CliError, usageError } from '../cli-error.js';
import { stringOption, type OptionValues } from '../command-table.js';
import { dataDirFrom } from './offline-database.js';

const roles = ['platform_admin', 'tenant_admin'] as const;
type Role = (typeof roles)[number];

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** The same rules as POST /admin/users, checked before anything touches the database. */
function validate(username: string | undefined, password: string, role: string | undefined, tenant: string | undefined): { username: string; role: Role } {
  if (username === undefined) throw usageError('admin create-user needs --username <name>.');
  if (!new RegExp(adminUserBody.properties.username.pattern).test(username)) {
    throw usageError(`--username '${username}' is not valid: use up to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit.`);
  }
  const { minLength, maxLength } = adminUserBody.properties.password;
  if (password.length < minLength || password.length > maxLength) {
    throw usageError(`The password must have ${minLength} to ${maxLength} characters (openssl rand -base64 24 makes a good one).`);
  }
  if (role === undefined || !(roles as readonly string[]).includes(role)) {
    throw usageError(`--role must be platform_admin or tenant_admin${role === undefined ? '' : `, not '${role}'`}.`);
  }
  if (role === 'tenant_admin' && tenant === undefined) throw usageError('A tenant_admin needs --tenant <tenantId>: the tenant it administers.');
  if (role === 'platform_admin' && tenant !== undefined) throw usageError('A platform_admin administers every tenant; leave --tenant out.');
  return { username, role: role as Role };
}

/** `admin create-user`: a direct, offline write (argon2id hash), e.g. to recover a lost admin. */
export async function createAdminUserCommand(values: OptionValues): Promise<void> {
  const fromArgs = stringOption(values, 'password');
  if (fromArgs !== undefined && values['password-stdin'] === true) throw usageError('Give the password either with --password or with --password-stdin, not both.');
  if (fromArgs === undefined && values['password-stdin'] !== true) throw usageError('admin create-user needs --password <password> (or --password-stdin).');
  const password = fromArgs ?? (await readStdin());
  const tenant = stringOption(values, 'tenant');
  const { username, role } = validate(stringOption(values, 'username'), password, stringOption(values, 'role'), tenant);

  const { db, close } = openDatabase(dataDirFrom(values));
  try {
    createAdminUser(db, { username, passwordHash: await hashPassword(password), role, tenantId: tenant ?? null });
  } catch (error) {
    if (isGatewayError(error)) throw new CliError(`${error.message}${error.hint === undefined ? '' : ` ${error.hint}`}`);
    throw error;
  } finally {
    close();
  }
  process.stdout.write(`Created the ${role} '${username}'${tenant === undefined ? '' : ` of tenant ${tenant}`}.\n`);
}
