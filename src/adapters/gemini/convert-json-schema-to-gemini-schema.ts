import { invalidField } from '../shared/unsupported-parameters.js';
import type { JsonObject, JsonValue } from '../types.js';

/**
 * Gemini's `parameters` and `responseSchema` take an OpenAPI-3.0 subset, and it rejects a
 * request carrying any keyword outside it ("Unknown name …"). So keywords are kept by allow-list
 * rather than stripped by deny-list: `$schema`, `additionalProperties`, `strict`, `$id`… go.
 */
const KEPT_KEYWORDS: ReadonlySet<string> = new Set([
  'title',
  'description',
  'enum',
  'required',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'minProperties',
  'maxProperties',
  'default',
  'example',
  'propertyOrdering',
  'nullable',
]);

/** Gemini answers 400 to any other string format ("only 'enum' and 'date-time' are supported"). */
const STRING_FORMATS: ReadonlySet<string> = new Set(['enum', 'date-time']);

interface Walk {
  definitions: JsonObject;
  /** `$ref`s being inlined on the current path: a repeat means a recursive schema. */
  inlining: ReadonlySet<string>;
  param: string;
}

/**
 * JSON Schema → Gemini schema (wire-protocols §3): `type: [T, "null"]` becomes `nullable`,
 * `const` becomes a one-value `enum`, local `$ref`s are inlined, and a root object without
 * properties is omitted (Gemini rejects an OBJECT with no properties). `param` names the request
 * field in errors.
 */
export function convertJsonSchemaToGeminiSchema(schema: JsonObject | undefined, param: string): JsonObject | undefined {
  if (schema === undefined || isEmptyObjectSchema(schema)) return undefined;
  const definitions = { ...asObject(schema.definitions), ...asObject(schema.$defs) };
  return convertNode(schema, { definitions, inlining: new Set(), param });
}

function isEmptyObjectSchema(schema: JsonObject): boolean {
  const typeless = schema.type === undefined && schema.$ref === undefined && schema.anyOf === undefined && schema.oneOf === undefined;
  const properties = asObject(schema.properties);
  return (schema.type === 'object' || typeless) && Object.keys(properties).length === 0;
}

function asObject(value: JsonValue | undefined): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

function convertNode(node: JsonValue, walk: Walk): JsonObject {
  // `true` (anything) has no OpenAPI spelling; an unconstrained schema is the closest.
  if (node === true) return {};
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    throw invalidField(walk.param, `'${walk.param}' contains an invalid JSON Schema node.`);
  }
  if (typeof node.$ref === 'string') return inlineReference(node, node.$ref, walk);

  const out: JsonObject = {};
  for (const [keyword, value] of Object.entries(node)) {
    if (KEPT_KEYWORDS.has(keyword)) out[keyword] = value;
  }
  applyType(node.type, out);
  if (typeof node.format === 'string' && (out.type !== 'string' || STRING_FORMATS.has(node.format))) out.format = node.format;
  if (node.const !== undefined) {
    out.enum = [node.const];
    if (out.type === undefined && typeof node.const === 'string') out.type = 'string';
  }
  const properties = asObject(node.properties);
  if (node.properties !== undefined) {
    out.properties = Object.fromEntries(Object.entries(properties).map(([name, value]) => [name, convertNode(value, walk)]));
  }
  if (Array.isArray(node.items)) out.items = { anyOf: node.items.map((item) => convertNode(item, walk)) };
  else if (node.items !== undefined) out.items = convertNode(node.items, walk);
  applyVariants(node.anyOf ?? node.oneOf, out, walk);
  if (Array.isArray(node.allOf)) out.allOf = node.allOf.map((item) => convertNode(item, walk));
  return out;
}

/** `type: ["string", "null"]` → `type: "string", nullable: true`; several types → `anyOf`. */
function applyType(type: JsonValue | undefined, out: JsonObject): void {
  const types = Array.isArray(type) ? type : type === undefined ? [] : [type];
  const concrete = types.filter((entry): entry is string => typeof entry === 'string' && entry !== 'null');
  if (concrete.length < types.length) out.nullable = true;
  if (concrete.length === 1) out.type = concrete[0] as string;
  else if (concrete.length > 1) out.anyOf = concrete.map((entry) => ({ type: entry }));
}

/** A `{type: "null"}` variant becomes `nullable`; a single remaining variant is merged in place. */
function applyVariants(variants: JsonValue | undefined, out: JsonObject, walk: Walk): void {
  if (!Array.isArray(variants)) return;
  const isNull = (variant: JsonValue) => asObject(variant).type === 'null';
  const concrete = variants.filter((variant) => !isNull(variant)).map((variant) => convertNode(variant, walk));
  if (concrete.length < variants.length) out.nullable = true;
  if (concrete.length === 1) Object.assign(out, { ...concrete[0], ...out });
  else if (concrete.length > 1) out.anyOf = concrete;
}

function inlineReference(node: JsonObject, ref: string, walk: Walk): JsonObject {
  const match = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(ref);
  const target = match?.[1] === undefined ? undefined : walk.definitions[decodedPointer(match[1])];
  if (target === undefined) {
    throw invalidField(walk.param, `'${walk.param}' references '${ref}', which is not a local definition.`);
  }
  if (walk.inlining.has(ref)) {
    throw invalidField(walk.param, `'${walk.param}' is recursive through '${ref}', which Gemini schemas cannot express.`);
  }
  const inlined = convertNode(target, { ...walk, inlining: new Set([...walk.inlining, ref]) });
  // Keywords beside the $ref (a description, say) refine the referenced schema.
  const { $ref: _ref, ...siblings } = node;
  return { ...inlined, ...convertNode(siblings, walk) };
}

/** A JSON-pointer segment as written in a `$ref`; one with broken %-encoding names no definition. */
function decodedPointer(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
