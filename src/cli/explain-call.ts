import type { CallLogRow } from '../db/schema.js';

interface Step {
  layer: string;
  outcome: string;
  detail: string;
}

/**
 * The stored trace, read leniently: the steps as objects ({layer, outcome, detail}, or the
 * compact {l, o, d}) or as [layer, outcome, detail] tuples.
 */
export function readTrace(trace: unknown): Step[] {
  const parsed = typeof trace === 'string' ? safeParse(trace) : trace;
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((raw): Step[] => {
    if (Array.isArray(raw)) return [{ layer: String(raw[0] ?? '?'), outcome: String(raw[1] ?? '?'), detail: String(raw[2] ?? '') }];
    if (typeof raw !== 'object' || raw === null) return [];
    const step = raw as Record<string, unknown>;
    const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));
    return [{ layer: text(step.layer ?? step.l) || '?', outcome: text(step.outcome ?? step.o) || '?', detail: text(step.detail ?? step.d) }];
  });
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const verbs: Record<string, string> = { pass: 'passed', deny: 'DENIED', skip: 'skipped' };
const marks: Record<string, string> = { pass: '✓', deny: '✗', skip: '-' };

const outcomeWords: Record<string, string> = {
  ok: 'served',
  denied: 'denied by the gateway',
  error: 'failed',
  cancelled: 'cancelled: the client went away before the answer ended',
};

/** Calls the gateway itself ended are recorded as cancelled with its error code: not the client's doing. */
const cancelledByGateway: Record<string, string> = {
  service_unavailable: 'cancelled: the gateway cut the call when its shutdown grace period (GATEWAY_SHUTDOWN_GRACE_MS) ran out',
  request_timeout: 'cancelled: the gateway answered 408, as the request did not arrive in full within GATEWAY_REQUEST_TIMEOUT_MS',
};

function outcomeInWords(row: CallLogRow): string {
  const byGateway = row.outcome === 'cancelled' && row.errorCode !== null ? cancelledByGateway[row.errorCode] : undefined;
  return byGateway ?? outcomeWords[row.outcome] ?? row.outcome;
}

function ms(value: number | null): string | null {
  return value === null ? null : `${Math.round(value)} ms`;
}

/** A logged call in words: what was asked, who asked, each decision step, and how it ended. */
export function explainCall(row: CallLogRow): string {
  const lines: string[] = [];
  const model = row.requestedModel === null ? '' : ` for model '${row.requestedModel}'`;
  lines.push(`Request ${row.requestId} at ${row.createdAt.toISOString()}: ${row.endpoint}${row.stream ? ' (streamed)' : ''}${model}.`);
  lines.push(`Outcome: ${outcomeInWords(row)}, HTTP ${row.statusCode}${row.errorCode === null ? '' : `, ${row.errorCode}${row.layer === null ? '' : ` at the ${row.layer} layer`}`}.`);

  const who = [row.keyId && `key ${row.keyId}`, row.consumerId && `app ${row.consumerId}`, row.tenantId && `tenant ${row.tenantId}`].filter(Boolean);
  lines.push(who.length > 0 ? `Caller: ${who.join(', ')}${row.clientIp === null ? '' : ` from ${row.clientIp}`}.` : `Caller: not identified${row.clientIp === null ? '' : ` (from ${row.clientIp})`}.`);
  if (row.sampledCount > 1) lines.push(`This row stands for ${row.sampledCount} similar unauthenticated calls in the same minute.`);

  const steps = readTrace(row.decisionTrace);
  if (steps.length === 0) {
    lines.push('Decision steps: none recorded.');
  } else {
    lines.push('Decision steps, in the order the gateway took them:');
    steps.forEach((step, index) => {
      const detail = step.detail === '' ? '' : `: ${step.detail}`;
      lines.push(`  ${index + 1}. ${marks[step.outcome] ?? '?'} ${step.layer} ${verbs[step.outcome] ?? step.outcome}${detail}`);
    });
  }

  if (row.provider !== null) {
    const upstream = row.upstreamModel === null ? '' : ` (upstream model ${row.upstreamModel})`;
    lines.push(`Routed to provider ${row.provider}${upstream} in ${row.attempts} attempt${row.attempts === 1 ? '' : 's'}.`);
  }
  const timings = [ms(row.latencyMs) && `total ${ms(row.latencyMs)}`, ms(row.upstreamLatencyMs) && `provider ${ms(row.upstreamLatencyMs)}`, ms(row.ttftMs) && `first token ${ms(row.ttftMs)}`].filter(Boolean);
  lines.push(`Timing: ${timings.join(', ')}.`);
  if (row.promptTokens !== null || row.completionTokens !== null) {
    const cost = row.costUsd === null ? '' : `, cost $${row.costUsd.toFixed(6)}`;
    lines.push(`Tokens: ${row.promptTokens ?? 0} prompt + ${row.completionTokens ?? 0} completion${row.tokensEstimated ? ' (counted by the gateway: the provider reported none)' : ''}${cost}.`);
  }
  return `${lines.join('\n')}\n`;
}
