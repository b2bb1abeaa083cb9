import t, { type Test } from 'tap';
import { hashApiKey } from '../../src/access/api-key-secret.js';
import { platformAdmin, startAdminGateway } from '../helpers/admin.js';
import { trustLoopback } from './access-world.js';
import { CLIENT_IPS, NETWORKS, WORLD_MODELS, randomWorldConfig, seedRandomWorld, seededRandom } from './random-world.js';

interface Verdict {
  status: number;
  code: string | undefined;
  layer?: string | undefined;
}

const IDENTITY_LAYERS = new Set(['auth', 'consumer', 'tenant', 'ip']);

/** Runs `tasks` with at most `width` in flight. */
async function inPool<T>(tasks: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await (tasks[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

const firstSeed = Number(process.env.AGREEMENT_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ROUNDS = 2;
console.log(`# decision agreement: seeds ${firstSeed}..${firstSeed + ROUNDS - 1} (rerun with AGREEMENT_SEED=${firstSeed})`);
const codesSeen = new Set<string>();

for (let round = 0; round < ROUNDS; round++) {
  const seed = firstSeed + round;
  t.test(`dry run, live call and /v1/models agree on a random world (seed ${seed}; rerun with AGREEMENT_SEED=${firstSeed})`, (t) => agreeOn(t, seed));
}

t.test('the worlds together exercised most outcomes', async (t) => {
  t.comment(`codes seen: ${[...codesSeen].sort().join(', ')}`);
  for (const code of ['invalid_api_key', 'api_key_revoked', 'api_key_expired', 'consumer_disabled', 'model_not_found']) t.ok(codesSeen.has(code), code);
  t.ok(codesSeen.size >= 8, `${codesSeen.size} different outcomes`);
});

async function agreeOn(t: Test, seed: number): Promise<void> {
  const gw = await startAdminGateway(t, { config: randomWorldConfig, env: trustLoopback });
  const admin = await platformAdmin(gw);
  // An admin gateway starts empty (no startup caller): the world is all there is.
  const world = seedRandomWorld(gw.app.db, seededRandom(seed));
  gw.app.stateChanged();
  const keys = [...world.keys.map((key) => ({ ...key, tenantId: key.tenantId as string | null })), { id: 'bogus', secret: 'gw-bogus-key-nobody-issued', tenantId: null, scopes: [] }];
  const secrets = keys.flatMap((key) => [key.secret, hashApiKey(key.secret)]);

  const live = async (secret: string, model: string, endpoint: 'chat' | 'embeddings', ip: string): Promise<Verdict & { text: string }> => {
    const body = endpoint === 'chat' ? { model, messages: [{ role: 'user', content: 'x' }] } : { model, input: 'x' };
    const response = await fetch(`${gw.baseURL}/${endpoint === 'chat' ? 'chat/completions' : 'embeddings'}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    const error = response.status === 200 ? undefined : (JSON.parse(text) as { error: { code: string; layer: string } }).error;
    return { status: response.status, code: error?.code, layer: error?.layer, text };
  };
  const dryRun = async (secret: string, model: string, endpoint: 'chat' | 'embeddings', ip: string): Promise<Verdict> => {
    const answer = await admin.post<{ allowed: boolean; status: number; code?: string }>('/admin/access/check', { apiKey: secret, model, endpoint, ip });
    if (answer.status !== 200) throw new Error(`access/check failed: ${answer.status} ${answer.text}`);
    return { status: answer.body.status, code: answer.body.code };
  };
  const canI = async (secret: string, model: string, endpoint: 'chat' | 'embeddings', ip: string): Promise<Verdict> => {
    const response = await gw.app.inject({ method: 'GET', url: `/gateway/can-i?model=${model}&endpoint=${endpoint}`, headers: { authorization: `Bearer ${secret}`, 'x-forwarded-for': ip } });
    const body = response.json() as { status?: number; code?: string; error?: { code: string } };
    return response.statusCode === 200 ? { status: body.status ?? 0, code: body.code } : { status: response.statusCode, code: body.error?.code };
  };

  const models = [...WORLD_MODELS, 'ghost-model'];
  const cases = keys.flatMap((key) => models.flatMap((model) => (['chat', 'embeddings'] as const).flatMap((endpoint) => CLIENT_IPS.map((ip) => ({ key, model, endpoint, ip })))));
  const outcomes = await inPool(
    cases.map((entry) => async () => {
      const [liveVerdict, dry, own] = await Promise.all([
        live(entry.key.secret, entry.model, entry.endpoint, entry.ip),
        dryRun(entry.key.secret, entry.model, entry.endpoint, entry.ip),
        canI(entry.key.secret, entry.model, entry.endpoint, entry.ip),
      ]);
      return { ...entry, live: liveVerdict, dry, own };
    }),
    6,
  );

  let disagreements = 0;
  const codes = new Map<string, number>();
  for (const outcome of outcomes) {
    const label = `${outcome.key.id} ${outcome.endpoint} ${outcome.model} from ${outcome.ip}`;
    codes.set(outcome.live.code ?? 'allowed', (codes.get(outcome.live.code ?? 'allowed') ?? 0) + 1);
    codesSeen.add(outcome.live.code ?? 'allowed');
    if (outcome.live.status !== outcome.dry.status || outcome.live.code !== outcome.dry.code || outcome.own.status !== outcome.live.status || outcome.own.code !== outcome.live.code) {
      disagreements++;
      t.fail(`${label}: live ${outcome.live.status} ${outcome.live.code}, access/check ${outcome.dry.status} ${outcome.dry.code}, can-i ${outcome.own.status} ${outcome.own.code}`);
    }
    if (outcome.live.status !== 200) {
      const leaked = [...secrets, ...NETWORKS, ...world.tenantIds.filter((id) => id !== outcome.key.tenantId || outcome.live.layer === 'auth')].filter((text) => outcome.live.text.includes(text));
      if (leaked.length > 0) t.fail(`${label}: the denial leaks ${leaked.join(', ')}`);
    }
  }
  t.equal(disagreements, 0, `${outcomes.length} cases: live call, access/check and can-i agree`);
  t.comment(`codes seen: ${[...codes].map(([code, count]) => `${code}=${count}`).join(', ')}`);

  // /v1/models lists exactly the models whose call (on their own endpoint) succeeds, and ?include=all says why the others fail.
  const ownEndpoint = (model: string) => (model.startsWith('embed') ? 'embeddings' : 'chat');
  const liveOf = new Map(outcomes.map((outcome) => [`${outcome.key.secret}|${outcome.model}|${outcome.endpoint}|${outcome.ip}`, outcome.live]));
  let listChecks = 0;
  for (const key of keys) {
    for (const ip of CLIENT_IPS) {
      const response = await fetch(`${gw.baseURL}/models?include=all`, { headers: { authorization: `Bearer ${key.secret}`, 'x-forwarded-for': ip } });
      const body = (await response.json()) as { data?: Array<{ id: string; access: { allowed: boolean; code?: string } }>; error?: { code: string } };
      const expected = WORLD_MODELS.map((model) => ({ model, verdict: liveOf.get(`${key.secret}|${model}|${ownEndpoint(model)}|${ip}`) as Verdict }));
      const identityDenial = expected.find((entry) => entry.verdict.layer !== undefined && IDENTITY_LAYERS.has(entry.verdict.layer));
      const label = `/v1/models for ${key.id} from ${ip}`;
      if (identityDenial !== undefined) {
        t.equal(body.error?.code, identityDenial.verdict.code, `${label}: the identity denial`);
      } else if (!key.scopes.includes('models')) {
        t.equal(body.error?.code, 'scope_missing', `${label}: needs the models scope`);
      } else {
        const access = new Map((body.data ?? []).map((model) => [model.id, model.access]));
        const mismatched = expected.filter(({ model, verdict }) => access.get(model)?.allowed !== (verdict.status === 200) || access.get(model)?.code !== verdict.code);
        t.same(mismatched.map((entry) => entry.model), [], `${label}: access of each model equals its live call`);
        const plain = (await (await fetch(`${gw.baseURL}/models`, { headers: { authorization: `Bearer ${key.secret}`, 'x-forwarded-for': ip } })).json()) as { data: Array<{ id: string }> };
        t.same(plain.data.map((model) => model.id).sort(), expected.filter((entry) => entry.verdict.status === 200).map((entry) => entry.model).sort(), `${label}: lists exactly the callable models`);
      }
      listChecks++;
    }
  }
  t.equal(listChecks, keys.length * CLIENT_IPS.length);
}
