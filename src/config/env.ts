import { z } from 'zod';
import { trustedProxiesSchema } from './trusted-proxies.js';

/**
 * The environment contract (DESIGN §7). Validated once at boot; an invalid value stops the
 * boot with a message naming the variable and the expected form.
 */
const booleanString = z
  .enum(['true', 'false', '1', '0'], { message: "expected 'true' or 'false'" })
  .transform((value) => value === 'true' || value === '1');

const positiveInt = (fallback: number) =>
  z.coerce
    .number({ message: 'expected a whole number' })
    .int('expected a whole number')
    .positive('expected a positive number')
    .default(fallback);

/** Node's timers take at most 2^31 - 1 ms (about 24.8 days); a longer delay fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** A duration that becomes a timer: beyond Node's limit it would fire at once (every call a 504). */
const milliseconds = (fallback: number, max = MAX_TIMER_MS) =>
  positiveInt(fallback).pipe(z.number().max(max, `expected at most ${max} ms (timers in Node stop at 2147483647 ms, about 24.8 days)`));

export const envSchema = z.object({
  PORT: z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  GATEWAY_DATA_DIR: z.string().min(1).default('./data'),
  GATEWAY_CONFIG: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GATEWAY_ADMIN_PASSWORD: z.string().min(12, 'expected at least 12 characters').optional(),
  GATEWAY_SECRET_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'expected 64 hexadecimal characters (openssl rand -hex 32)')
    .optional(),
  GATEWAY_JWT_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
  GATEWAY_UPSTREAM_TIMEOUT_MS: milliseconds(600_000),
  GATEWAY_MAX_BODY_BYTES: positiveInt(10 * 1024 * 1024),
  // Not in DESIGN §7: a client that trickles its body would otherwise hold a connection forever.
  GATEWAY_REQUEST_TIMEOUT_MS: milliseconds(60_000),
  // The hard stop comes 5 s after the grace period (graceful-shutdown.ts): both must be timers.
  GATEWAY_SHUTDOWN_GRACE_MS: milliseconds(25_000, MAX_TIMER_MS - 5_000),
  GATEWAY_ALLOW_PRIVATE_FETCH: booleanString.default(false),
  // Issue 4: whose X-Forwarded-For is believed when IP allow-lists look at the client address.
  GATEWAY_TRUSTED_PROXIES: trustedProxiesSchema,
  // PostgreSQL mode (DESIGN §6) is not built yet: refusing the variable beats silently using SQLite.
  DATABASE_URL: z
    .string()
    .refine(() => false, 'the PostgreSQL store is not implemented yet; unset DATABASE_URL to use the embedded SQLite')
    .optional(),
  REDIS_URL: z.string().url('expected a URL such as redis://127.0.0.1:6379').optional(),
  // Operations (issue 6): /metrics protection and overload shedding; 0 turns a threshold off.
  GATEWAY_METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters (openssl rand -hex 16)').optional(),
  GATEWAY_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number({ message: 'expected a whole number of milliseconds' }).int().min(0).default(1000),
  /** Unset: 90 % of the V8 heap limit. */
  GATEWAY_MAX_HEAP_USED_BYTES: z.coerce.number({ message: 'expected a whole number of bytes' }).int().min(0).optional(),
  GATEWAY_MAX_RSS_BYTES: z.coerce.number({ message: 'expected a whole number of bytes' }).int().min(0).default(0),
  // Call log (issue 5): off only for benchmarks; bodies are opt-in; 0 days keeps rows forever.
  GATEWAY_CALL_LOG: booleanString.default(true),
  GATEWAY_LOG_BODIES: booleanString.default(false),
  GATEWAY_LOG_RETENTION_DAYS: z.coerce.number({ message: 'expected a whole number of days' }).int('expected a whole number of days').min(0, 'expected 0 (keep forever) or more days').default(30),
  // Limits (issue 9, docs/limits.md): the rate/token window, what happens when Redis is gone, Redis key prefix, admin sign-in attempts.
  GATEWAY_LIMIT_WINDOW_MS: milliseconds(60_000),
  GATEWAY_LIMITS_FAIL_MODE: z.enum(['open', 'closed'], { message: "expected 'open' or 'closed'" }).default('open'),
  GATEWAY_LIMITS_REDIS_PREFIX: z.string().min(1).default('gateway:limits:'),
  GATEWAY_ADMIN_LOGIN_PER_MINUTE: positiveInt(30),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  override name = 'EnvError';
}

/** Parses the environment; empty strings count as unset, as shells and .env files produce them. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = source[key];
    if (value !== undefined && value !== '') cleaned[key] = value;
  }
  const result = envSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new EnvError(`Invalid environment:\n${lines.join('\n')}`);
}
