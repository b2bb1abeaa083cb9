/**
 * Request and response bodies for the call log (GATEWAY_LOG_BODIES=true only): secrets
 * redacted, inline data shortened, the whole capped. What is stored here is read by admins, so
 * nothing that grants access may survive.
 */

import { REDACTED, redactSecretText, secretField } from '../secrets/redact-secrets.js';

/** Each captured body is cut to this many bytes of JSON. */
export const BODY_CAPTURE_MAX_BYTES = 16 * 1024;

/** `data:<mime>;base64,<payload>`: the payload is dropped, its size kept. */
const dataUrl = /^data:([^;,]*)(;base64)?,(.*)$/s;

function redactText(text: string): string {
  const inline = dataUrl.exec(text);
  if (inline !== null) {
    const payload = inline[3] ?? '';
    return `data:${inline[1] ?? ''}${inline[2] ?? ''},[${payload.length} characters omitted]`;
  }
  return redactSecretText(text);
}

/** A deep copy with credentials replaced and inline data shortened. */
export function redactBody(value: unknown, depth = 0): unknown {
  // Bodies are parsed JSON, so there are no cycles; the depth cap guards against pathological nesting.
  if (depth > 64) return '[nested too deep]';
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((item) => redactBody(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      copy[key] = secretField.test(key) && field !== null && field !== undefined ? REDACTED : redactBody(field, depth + 1);
    }
    return copy;
  }
  return value;
}

/** Cuts `text` to `maxBytes` of UTF-8 and says so, with the original size. */
export function capText(text: string, maxBytes: number = BODY_CAPTURE_MAX_BYTES): string {
  const size = Buffer.byteLength(text);
  if (size <= maxBytes) return text;
  // A multi-byte character split at the cut decodes as U+FFFD: drop it.
  const head = Buffer.from(text).subarray(0, maxBytes).toString('utf8').replace(/\uFFFD+$/, '');
  return `${head}…[truncated: ${size} bytes in all]`;
}

/** The stored form of a body: redacted JSON, capped. `null` when there is nothing to store. */
export function captureBody(value: unknown, maxBytes: number = BODY_CAPTURE_MAX_BYTES): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') {
    // A JSON text (a reply payload) is parsed so its fields can be redacted; anything else is text.
    try {
      return capText(JSON.stringify(redactBody(JSON.parse(value))), maxBytes);
    } catch {
      return capText(redactText(value), maxBytes);
    }
  }
  if (Buffer.isBuffer(value)) return captureBody(value.toString('utf8'), maxBytes);
  return capText(JSON.stringify(redactBody(value)), maxBytes);
}
