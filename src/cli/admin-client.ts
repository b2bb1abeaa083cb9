import { REDACTED, redactSecretText, secretField } from '../secrets/redact-secrets.js';
import { CliError, usageError } from './cli-error.js';
import { stringOption, type OptionValues } from './command-table.js';

interface ErrorEnvelope {
  error?: { message?: string; code?: string; hint?: string };
}

/**
 * The running gateway's admin API, as the live CLI commands use it: writes go through the
 * gateway (not the SQLite file) so its in-memory snapshot updates at once.
 */
export class AdminClient {
  private token: string | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly username: string,
    private readonly password: string,
  ) {}

  static fromOptions(values: OptionValues, env: NodeJS.ProcessEnv = process.env): AdminClient {
    const url = stringOption(values, 'url') ?? `http://127.0.0.1:${env.PORT !== undefined && env.PORT !== '' ? env.PORT : '8787'}`;
    if (!/^https?:\/\/[^/]+/.test(url)) throw usageError(`--url must be an http(s) URL such as http://127.0.0.1:8787, not '${url}'.`);
    const username = stringOption(values, 'username') ?? (env.GATEWAY_ADMIN_USER || 'admin');
    const password = stringOption(values, 'password') ?? env.GATEWAY_ADMIN_PASSWORD;
    if (password === undefined || password === '') {
      throw usageError('No admin password: set GATEWAY_ADMIN_PASSWORD (quick-start.sh writes it to .env) or pass --password.');
    }
    return new AdminClient(url.replace(/\/+$/, ''), username, password);
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  /** Every item of an admin list, page after page (500 a page, the most the API gives). */
  async listAll<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const pagePath: string = `${path}${separator}limit=500${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const page: ListPage<T> | undefined = await this.get<ListPage<T> | undefined>(pagePath);
      if (page === undefined || !Array.isArray(page.data)) throw this.notTheGateway(`GET ${path}`, page, 'data list');
      items.push(...page.data);
      cursor = typeof page.nextCursor === 'string' ? page.nextCursor : null;
    } while (cursor !== null);
    return items;
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  private async login(): Promise<string> {
    if (this.token !== undefined) return this.token;
    const answer = await this.send<{ access_token?: unknown } | undefined>('POST', '/admin/auth/token', { username: this.username, password: this.password }, undefined);
    const token = answer?.access_token;
    if (typeof token !== 'string' || token === '') throw this.notTheGateway('POST /admin/auth/token', answer, 'access_token');
    this.token = token;
    return token;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.send<T>(method, path, body, await this.login());
  }

  private async send<T>(method: string, path: string, body: unknown, token: string | undefined): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch (error) {
      const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new CliError(`No gateway answers at ${this.baseUrl} (${reason}). Start it (./quick-start.sh or npm start), or pass --url.`);
    }
    const text = await response.text();
    const parsed = text === '' ? undefined : safeJson(text);
    if (!response.ok) throw new CliError(describeFailure(method, path, response.status, parsed));
    // The admin API answers JSON or nothing; text means something else answers at this URL.
    if (typeof parsed === 'string') throw this.notTheGateway(`${method} ${path.split('?')[0] ?? path}`, parsed, 'JSON answer');
    return parsed as T;
  }

  /**
   * An answer the admin API never gives: another service holds the port, or a proxy answers. The
   * answer is shown cut short and without anything credential-like (a key's creation carries it).
   */
  notTheGateway(what: string, answer: unknown, expected: string): CliError {
    const shown = answer === undefined ? 'nothing' : redactSecretText(JSON.stringify(answer, (name, value: unknown) => (name === 'key' || secretField.test(name) ? REDACTED : value))).slice(0, 200);
    return new CliError(`${what} at ${this.baseUrl} answered ${shown}, without the ${expected} a Pinpoint Gateway returns: is this URL the gateway, or does another service answer there? Check --url (or PORT).`);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeFailure(method: string, path: string, status: number, body: unknown): string {
  const envelope = (typeof body === 'object' && body !== null ? body : {}) as ErrorEnvelope;
  const message = envelope.error?.message ?? (typeof body === 'string' && body !== '' ? body.slice(0, 300) : 'no details');
  const code = envelope.error?.code === undefined ? '' : ` ${envelope.error.code}`;
  const hint = envelope.error?.hint === undefined ? '' : `\n  ${envelope.error.hint}`;
  if (status === 404 && envelope.error?.code === 'route_not_found') {
    return `${method} ${path}: this gateway has no such admin route. ${message}`;
  }
  return `${method} ${path} failed: ${status}${code}: ${message}${hint}`;
}

/** One page of an admin list. */
interface ListPage<T> {
  data?: T[];
  nextCursor?: string | null;
}
