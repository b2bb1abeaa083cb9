/**
 * Where in a request a problem lies, written one way in every `param` and message:
 * `messages[0].content[1].type`, array positions in brackets and property names after dots, as
 * OpenAI writes its own `param`. Ajv (JSON pointers), zod (path arrays) and the adapters all
 * go through here, so a client can parse one form.
 */
export function paramPath(segments: ReadonlyArray<PropertyKey>): string {
  return segments.reduce<string>(
    (out, segment) => (typeof segment === 'number' ? `${out}[${segment}]` : out === '' ? String(segment) : `${out}.${String(segment)}`),
    '',
  );
}

/**
 * A JSON pointer (Ajv's `instancePath`, `/messages/0/role`) as a param path. A pointer does not
 * say whether `0` is an array position or an object key (`logit_bias` has numeric keys), so the
 * value it points into decides.
 */
export function paramPathFromPointer(pointer: string, root: unknown): string {
  if (pointer === '') return '';
  const segments: PropertyKey[] = [];
  let current: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const index = Array.isArray(current) && /^(0|[1-9]\d*)$/.test(key) ? Number(key) : undefined;
    segments.push(index ?? key);
    current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
  }
  return paramPath(segments);
}
