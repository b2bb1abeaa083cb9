import type { ProviderKind } from '../db/schema.js';

/**
 * How each kind's official SDK takes its base URL (DESIGN §7), and so what a wrong one looks
 * like. The SDKs append their own paths verbatim, so a base URL with one segment too many or
 * too few fails only at the first call, as a provider 404 or an HTML page. The admin API and
 * the boot log say so as soon as such a provider is configured. These are warnings, not
 * refusals: a proxy in front of a provider may well live under a path of its own.
 */
interface BaseUrlRule {
  /** `version-path`: the URL ends where the SDK's endpoint path begins (`…/v1`); `bare-origin`: the SDK adds the version itself; `unused`: no upstream. */
  form: 'version-path' | 'bare-origin' | 'unused';
  /** The path the SDK appends for a chat call, to show where a call would go. */
  appends: string;
  /** An example of a right base URL. */
  example: string;
}

const rules: Readonly<Record<ProviderKind, BaseUrlRule>> = {
  openai: { form: 'version-path', appends: '/chat/completions', example: 'https://api.openai.com/v1' },
  'openai-compatible': { form: 'version-path', appends: '/chat/completions', example: 'http://127.0.0.1:11434/v1' },
  anthropic: { form: 'bare-origin', appends: '/v1/messages', example: 'https://api.anthropic.com' },
  gemini: { form: 'bare-origin', appends: '/v1beta/models/{model}:generateContent', example: 'https://generativelanguage.googleapis.com' },
  mock: { form: 'unused', appends: '', example: '' },
};

/** A last path segment that is an API version: v1, v1beta, v2alpha3. */
const VERSION_SEGMENT = /\/v\d+(?:alpha|beta)?\d*$/i;
/** A last path segment that is already an endpoint the SDKs append. */
const ENDPOINT_SUFFIX = /\/(?:chat\/completions|completions|embeddings|messages|models(?:\/[^/]*)?)$/i;

/** What is likely wrong with a provider's base URL for its kind; empty when nothing is. */
export function baseUrlWarnings(kind: ProviderKind, baseUrl: string | null): string[] {
  if (baseUrl === null || baseUrl === '') return [];
  const rule = rules[kind];
  if (rule.form === 'unused') return [`A provider of kind '${kind}' calls no upstream: its baseUrl is ignored.`];
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return ['The base URL is not a URL.'];
  }
  const path = url.pathname.replace(/\/+$/, '');
  // Shown without user info or query: either can carry a credential.
  const wouldCall = `calls would go to ${url.origin}${path}${rule.appends}`;
  if (ENDPOINT_SUFFIX.test(path)) {
    return [`The base URL ends in an endpoint path, and the ${kind} SDK appends ${rule.appends} itself: ${wouldCall}. Give the base URL only, e.g. ${rule.example}.`];
  }
  if (rule.form === 'version-path' && path === '') {
    return [`The base URL has no version path, and the ${kind} SDK appends ${rule.appends} to it directly: ${wouldCall}. Most servers want the version path, e.g. ${rule.example}.`];
  }
  if (rule.form === 'bare-origin' && VERSION_SEGMENT.test(path)) {
    return [`The base URL ends in a version path, and the ${kind} SDK adds its own: ${wouldCall}. Give the bare origin, e.g. ${rule.example}.`];
  }
  return [];
}
