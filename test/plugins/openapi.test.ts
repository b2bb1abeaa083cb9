import t from 'tap';
import { steadyEnv } from '../helpers/catalog-gateway.js';
import { startGateway } from '../helpers/gateway.js';

type Json = Record<string, unknown>;
interface Operation {
  summary?: string;
  tags?: string[];
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  requestBody?: { content: Record<string, { schema: Json }> };
  responses?: Record<string, Json>;
  security?: Array<Record<string, string[]>>;
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, Json>; schemas?: Record<string, Json> };
  tags: Array<{ name: string }>;
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every `$ref` in the document, with where it was found. */
function refsIn(value: unknown, at = '#'): Array<{ ref: string; at: string }> {
  if (Array.isArray(value)) return value.flatMap((item, index) => refsIn(item, `${at}/${index}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Json).flatMap(([key, inner]) => (key === '$ref' && typeof inner === 'string' ? [{ ref: inner, at }] : refsIn(inner, `${at}/${key}`)));
}

function resolvePointer(document: unknown, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, part) => (node !== null && typeof node === 'object' ? (node as Json)[part] : undefined), document);
}

t.test('GET /openapi.json is a valid OpenAPI 3 document of the whole HTTP surface', async (t) => {
  const gw = await startGateway(t, { env: steadyEnv });
  const response = await fetch(`${gw.origin}/openapi.json`);
  t.equal(response.status, 200);
  const document = (await response.json()) as OpenApiDocument;

  t.match(document.openapi, /^3\.\d+\.\d+$/, 'an OpenAPI 3 version');
  t.type(document.info.title, 'string');
  t.match(document.info.version, /^\d+\.\d+\.\d+/);
  for (const path of ['/v1/chat/completions', '/v1/embeddings', '/v1/models', '/admin/auth/token', '/admin/tenants', '/admin/providers', '/admin/providers/{id}', '/admin/models/{name}', '/admin/services/{id}', '/admin/subscriptions/{id}/approve', '/admin/config', '/admin/config/preview', '/admin/config/apply']) {
    t.ok(document.paths[path], `lists ${path}`);
  }
  t.ok(document.paths['/v1/chat/completions']?.post?.requestBody, 'the chat body is described');
  t.notOk(Object.keys(document.paths).some((path) => path.includes('*') && path.startsWith('/admin/models')), "the hidden wildcard twin of /admin/models/{name} is not listed");
  t.notOk(document.paths['/openapi.json'], 'the document does not list itself');

  // The structure the specification requires of every operation.
  const declaredTags = new Set(document.tags.map((tag) => tag.name));
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    t.ok(path.startsWith('/'), `${path}: starts with /`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
    for (const [method, operation] of Object.entries(item)) {
      if (!methods.includes(method)) continue;
      const label = `${method.toUpperCase()} ${path}`;
      t.ok(operation.responses && Object.keys(operation.responses).length > 0, `${label}: has responses`);
      for (const name of templated) {
        t.ok(operation.parameters?.some((parameter) => parameter.in === 'path' && parameter.name === name && parameter.required === true), `${label}: declares its path parameter ${name}`);
      }
      for (const tag of operation.tags ?? []) t.ok(declaredTags.has(tag), `${label}: its tag ${tag} is declared`);
      for (const requirement of operation.security ?? []) {
        for (const scheme of Object.keys(requirement)) t.ok(document.components.securitySchemes[scheme], `${label}: security scheme ${scheme} exists`);
      }
      const operationId = (operation as { operationId?: string }).operationId;
      if (operationId !== undefined) {
        t.notOk(operationIds.has(operationId), `${label}: unique operationId`);
        operationIds.add(operationId);
      }
    }
  }
  for (const { ref, at } of refsIn(document)) t.ok(ref.startsWith('#/') && resolvePointer(document, ref) !== undefined, `${at}: ${ref} resolves`);

  const createProvider = document.paths['/admin/providers']?.post as Operation;
  t.match(createProvider, { tags: ['admin: catalog'], summary: /Create a provider/, security: [{ adminToken: [] }] });
  t.equal(createProvider.requestBody?.content['application/json']?.schema.additionalProperties, false, 'admin bodies refuse unknown fields');
  const providerView = JSON.stringify(document.paths['/admin/providers/{id}']?.get?.responses?.['200']);
  t.match(providerView, /hasCredential/);
  t.notOk(/"apiKey"|"credential"/.test(providerView), 'a provider view has no credential field');
  t.same(Object.keys(document.paths['/admin/config/preview']?.post?.requestBody?.content ?? {}).sort(), ['application/json', 'application/x-yaml', 'application/yaml', 'text/yaml']);
  t.same(document.paths['/v1/chat/completions']?.post?.security, [{ gatewayKey: [] }], 'invocation takes a gateway key');
  t.same(document.paths['/admin/auth/token']?.post?.security, [], 'the token endpoint takes none');

  const docs = await fetch(`${gw.origin}/docs`);
  t.equal(docs.status, 200, 'the interactive reference is served');
  t.match(await docs.text(), /swagger/i);
});

t.test('with the OpenAPI plugin registered, /v1 still accepts fields it does not know', async (t) => {
  const gw = await startGateway(t, { env: steadyEnv });
  const response = await fetch(`${gw.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'mock-chat', messages: [{ role: 'user', content: 'hi' }], a_future_openai_parameter: { nested: true } }),
  });
  t.equal(response.status, 200, await response.clone().text());
  t.equal(((await response.json()) as { object: string }).object, 'chat.completion');
});
