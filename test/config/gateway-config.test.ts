import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { ConfigError, parseGatewayConfig } from '../../src/config/gateway-config.js';
import { projectRoot } from '../../src/project-root.js';

const valid = `
providers:
  - name: openai
    kind: openai
    baseUrl: https://api.openai.com/v1
    apiKey: \${OPENAI_KEY}
models:
  - name: gpt
    type: chat
    deployments: [{ provider: openai, model: gpt-4o-mini }]
    pricing: { input: 0.15, output: 0.6 }
`;

t.test('credentials are read from the environment', async (t) => {
  const config = parseGatewayConfig(valid, 'gw.yaml', { OPENAI_KEY: 'sk-test' });
  t.equal(config.providers[0]?.apiKey, 'sk-test');
  t.equal(config.models[0]?.deployments[0]?.model, 'gpt-4o-mini');
});

t.test('errors name the file, the path in it and what is wrong', async (t) => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    [valid, {}, /gw\.yaml: providers\[0\]\.apiKey: environment variable OPENAI_KEY is not set/],
    ['providers: [{ name: x, kind: nope }]', {}, /gw\.yaml: invalid configuration:\n {2}providers\[0\]\.kind/],
    ['models: [{ name: m, type: chat, deployments: [{ provider: ghost, model: x }] }]', {}, /models\[0\]\.deployments\[0\]\.provider: no provider named 'ghost'/],
    ['models: [{ name: m, type: chat, deployments: [] }]', {}, /models\[0\]\.deployments: expected at least one deployment/],
    ['providers: [{ name: x, kind: mock, surprise: 1 }]', {}, /providers\[0\]/],
    ['providers: [{ name: a, kind: mock }, { name: a, kind: mock }]', {}, /providers\[1\]\.name: duplicate provider 'a'/],
    ['providers: [{ name: c, kind: openai-compatible }]', {}, /providers\[0\]\.baseUrl: required for kind openai-compatible/],
    ['providers: [oops', {}, /gw\.yaml: not valid YAML/],
  ];
  for (const [text, env, message] of cases) {
    t.throws(() => parseGatewayConfig(text, 'gw.yaml', env), ConfigError);
    t.throws(() => parseGatewayConfig(text, 'gw.yaml', env), { message });
  }
});

t.test('the repository sample configuration is valid', async (t) => {
  const config = parseGatewayConfig(readFileSync(path.join(projectRoot, 'gateway.config.yaml'), 'utf8'), 'gateway.config.yaml', {});
  t.ok(config.models.some((model) => model.name === 'mock-chat'));
});
