/**
 * The `x-ratelimit-*` header families OpenAI clients read, and Retry-After. Reset values are
 * durations in OpenAI's (Go) form: `850ms`, `12.5s`, `6m0s`.
 */

export function formatResetDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = (total % 60_000) / 1000;
  const secondsText = `${Number(seconds.toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${secondsText}`;
  if (minutes > 0) return `${minutes}m${secondsText}`;
  return secondsText;
}

/** Whole seconds, at least 1: `Retry-After: 0` would invite an immediate retry into the same window. */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

export interface WindowState {
  limit: number;
  remaining: number;
  resetMs: number;
}

export function windowHeaders(family: 'requests' | 'tokens', state: WindowState): Record<string, string> {
  return {
    [`x-ratelimit-limit-${family}`]: String(state.limit),
    [`x-ratelimit-remaining-${family}`]: String(Math.max(0, state.remaining)),
    [`x-ratelimit-reset-${family}`]: formatResetDuration(state.resetMs),
  };
}

/** Both Retry-After (seconds, the standard) and retry-after-ms (the openai SDKs read it first). */
export function retryHeaders(resetMs: number): Record<string, string> {
  return { 'retry-after': String(retryAfterSeconds(resetMs)), 'retry-after-ms': String(Math.max(1, Math.ceil(resetMs))) };
}
