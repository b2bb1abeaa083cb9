/**
 * Credentials in text the gateway stores, logs or relays: call-log bodies, provider error
 * messages, request URLs in the server log. What grants access must not survive any of them.
 */

export const REDACTED = '[redacted]';

/** Field names whose value is a credential, whatever it looks like. */
export const secretField = /^(api[-_]?key|x-api-key|x-goog-api-key|authorization|proxy-authorization|password|secret|client[-_]?secret|token|access[-_]?token|refresh[-_]?token|id[-_]?token|credential|credentials|cookie|set-cookie)$/i;

/** Key-shaped strings inside free text (gateway, OpenAI/Anthropic and Google keys, bearer tokens) and what replaces them. */
const secretPatterns: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bgw-[A-Za-z0-9_-]{8,}/g, `gw-${REDACTED}`],
  [/\bsk-[A-Za-z0-9_-]{8,}/g, `sk-${REDACTED}`],
  [/\bAIza[0-9A-Za-z_-]{20,}/g, REDACTED],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
];

/** `text` with every key-shaped string replaced. */
export function redactSecretText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of secretPatterns) result = result.replace(pattern, replacement);
  return result;
}

/**
 * A request URL fit for the log: in its query string, the values of credential-named parameters
 * (`?api_key=`, `?key=` as Gemini clients send it) and key-shaped strings are replaced. A path
 * alone is returned as it is: it runs for every access-log line, and keys travel in queries.
 */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const query = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals === -1) return pair;
      return isSecretQueryParameter(pair.slice(0, equals)) ? `${pair.slice(0, equals)}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, queryStart)}?${redactSecretText(query)}`;
}

/** Whether the URL's query string carries a credential-named parameter (`?api_key=`, `?key=`, …). */
export function hasSecretQueryParameter(url: string): boolean {
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return false;
  return url
    .slice(queryStart + 1)
    .split('&')
    .some((pair) => pair.includes('=') && isSecretQueryParameter(pair.slice(0, pair.indexOf('='))));
}

/** Plain `key` counts too: Google's APIs take their key as `?key=`, and Gemini clients send it so. */
function isSecretQueryParameter(encodedName: string): boolean {
  const name = safeDecode(encodedName);
  return secretField.test(name) || name.toLowerCase() === 'key';
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
