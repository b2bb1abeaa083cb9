import { execFile, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { envSchema } from '../src/config/env.js';
import { projectRoot } from '../src/project-root.js';

// It builds the project and starts real processes: minutes on a busy machine, seconds on an idle one.
t.setTimeout(480_000);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A clean copy of the working tree as a fresh clone would have it (tracked and new files, not
 * the git-ignored ones: no node_modules, dist, data or .env), with this checkout's node_modules
 * symlinked in. The script runs with --skip-install: `npm ci` empties node_modules first, and
 * through the symlink it would empty this checkout's (the script also refuses that on its own).
 */
function cleanCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gateway-quick-start-'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: projectRoot, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '' && existsSync(path.join(projectRoot, file)));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    cpSync(path.join(projectRoot, file), path.join(dir, file), { preserveTimestamps: true });
  }
  symlinkSync(path.join(projectRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** The environment of a user's fresh shell: none of the gateway's variables, none of tap's. */
function cleanEnv(): NodeJS.ProcessEnv {
  const gatewayVariables = new Set(Object.keys(envSchema.shape));
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !gatewayVariables.has(name) && !name.startsWith('GATEWAY_') && !name.startsWith('TAP') && !name.startsWith('_TAP') && name !== 'NODE_OPTIONS',
    ),
  );
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** A clean copy that the test removes, with any gateway left running in it. */
function copyForTest(t: Teardown): string {
  const dir = cleanCopy();
  t.teardown(() => {
    const pidFile = path.join(dir, 'data', 'gateway.pid');
    if (existsSync(pidFile)) {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Another HTTP service on `port` (not the gateway) that answers every request 200 with `body`. */
async function otherService(t: Teardown, port: number, body: string): Promise<Server> {
  const server = createHttpServer((request, response) => {
    request.resume();
    response.writeHead(200, { 'content-type': body.startsWith('{') ? 'application/json' : 'text/plain' }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return server;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { ...cleanEnv(), ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

const line = (text: string, start: string) => text.split('\n').find((candidate) => candidate.startsWith(start));

t.test('quick-start.sh from a clean copy: ready, a working demo call, idempotent, --status, --stop', async (t) => {
  // Whatever happened, leave no gateway behind.
  const dir = copyForTest(t);
  const port = await freePort();
  const pidFile = path.join(dir, 'data', 'gateway.pid');

  const first = await run('bash', ['quick-start.sh', '--skip-install', '--port', String(port)], dir);
  const origin = `http://127.0.0.1:${port}`;
  t.match(first.stdout, /Dependencies: not checked \(--skip-install\)/, 'npm ci skipped');
  t.match(first.stdout, /Created .*\.env with generated secrets \(mode 0600\)/);
  t.equal((await fetch(`${origin}/readyz`)).status, 200, 'the gateway is up and ready', { output: first.stdout + first.stderr });

  const envFile = path.join(dir, '.env');
  t.equal(statSync(envFile).mode & 0o777, 0o600, '.env is mode 0600');
  const envText = readFileSync(envFile, 'utf8');
  t.match(envText, /^GATEWAY_SECRET_KEY=[0-9a-f]{64}$/m);
  t.match(envText, /^GATEWAY_JWT_SECRET=\S{32,}$/m);
  const adminPassword = /^GATEWAY_ADMIN_PASSWORD=(\S{12,})$/m.exec(envText)?.[1] ?? '';
  t.ok(adminPassword, 'an admin password was generated');
  t.notMatch(first.stdout + first.stderr, adminPassword, 'the admin password is not printed');
  t.match(first.stdout, new RegExp(`password is GATEWAY_ADMIN_PASSWORD in ${envFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), 'only where it is');

  t.equal(first.code, 0, 'quick-start succeeded', { stderr: first.stderr });
  t.match(first.stdout, new RegExp(`Pinpoint Gateway is ready at ${origin}`));
  const sdkCall = line(first.stdout, 'node --input-type=module -e ');
  const curlCall = line(first.stdout, 'curl -s ');
  t.ok(sdkCall && curlCall, 'both calls are printed, each on one line');
  const sdk = await run('bash', ['-c', sdkCall ?? 'false'], dir);
  t.equal(sdk.code, 0, 'the printed openai SDK call succeeds', { stderr: sdk.stderr });
  t.ok(sdk.stdout.trim().length > 0, `and prints the mock's answer: ${sdk.stdout.trim()}`);
  const curl = await run('bash', ['-c', curlCall ?? 'false'], dir);
  t.match(JSON.parse(curl.stdout), { object: 'chat.completion', model: 'mock-chat' }, 'the printed curl call succeeds');

  const status = await run('bash', ['quick-start.sh', '--status'], dir);
  t.equal(status.code, 0);
  t.match(status.stdout, new RegExp(`running at ${origin} \\(pid \\d+\\) and ready`));

  const logs = await run('bash', ['quick-start.sh', '--logs'], dir);
  t.match(logs.stdout, new RegExp(`Server listening at ${origin}`), '--logs shows the server log');

  // A second run: same gateway, same .env, same demo tenant.
  const pid = readFileSync(pidFile, 'utf8');
  const second = await run('bash', ['quick-start.sh', '--skip-install', '--port', String(port)], dir);
  t.equal(second.code, first.code, 'the second run ends as the first did');
  t.match(second.stdout, /already running/);
  t.equal(readFileSync(pidFile, 'utf8'), pid, 'no second gateway');
  t.equal(readFileSync(envFile, 'utf8'), envText, '.env unchanged');
  t.match(second.stdout, /Demo key/, 'with a new demo key');
  const sqlite = new Database(path.join(dir, 'data', 'gateway.sqlite'), { readonly: true });
  const demoTenants = sqlite.prepare("select count(*) as n from tenants where name = 'demo'").get() as { n: number };
  const demoKeys = sqlite.prepare("select count(*) as n from api_keys where name like 'quick-start %'").get() as { n: number };
  sqlite.close();
  t.equal(demoTenants.n, 1, 'one demo tenant');
  t.equal(demoKeys.n, 2, 'one demo key per run');

  const stop = await run('bash', ['quick-start.sh', '--stop'], dir);
  t.equal(stop.code, 0, 'exits 0', { stderr: stop.stderr });
  t.match(stop.stdout, /Stopped\./);
  t.match(readFileSync(path.join(dir, 'data', 'gateway.log'), 'utf8'), /shutdown complete/, 'it drained and shut down cleanly');
  const stopped = await run('bash', ['quick-start.sh', '--status'], dir);
  t.equal(stopped.code, 3, '--status exits 3 when not running');
  t.match(stopped.stdout, /not running/);
  const stopAgain = await run('bash', ['quick-start.sh', '--stop'], dir);
  t.equal(stopAgain.code, 0, '--stop is idempotent');

  const badOption = await run('bash', ['quick-start.sh', '--prot', '1'], dir);
  t.equal(badOption.code, 2);
  t.match(badOption.stderr, /unknown option '--prot'/);
});

t.test('quick-start.sh: a PORT from the environment that is not a port is named as PORT', async (t) => {
  const dir = copyForTest(t);
  const fromEnv = await run('bash', ['quick-start.sh', '--skip-install'], dir, { PORT: 'abc' });
  t.equal(fromEnv.code, 2, 'a wrong option: exit 2');
  t.match(fromEnv.stderr, /PORT \(from your environment\) must be a number from 1 to 65535, not 'abc'/);
  t.notMatch(fromEnv.stderr, /--port must be/, 'not blamed on an option that was not given');
  const fromOption = await run('bash', ['quick-start.sh', '--skip-install', '--port', 'abc'], dir, { PORT: '9000' });
  t.equal(fromOption.code, 2);
  t.match(fromOption.stderr, /--port must be a number from 1 to 65535, not 'abc'/, '--port wins over PORT and is named');
});

t.test('quick-start.sh refuses a port another service holds, before building, and names PORT / --port', async (t) => {
  const dir = copyForTest(t);
  const port = await freePort();
  // Any service answering 200 used to pass for the gateway ("ready", then a demo without a key).
  await otherService(t, port, 'ok');
  const withOption = await run('bash', ['quick-start.sh', '--skip-install', '--port', String(port)], dir);
  t.equal(withOption.code, 1, 'a failure: exit 1', { stdout: withOption.stdout });
  t.notMatch(withOption.stdout, /is ready|Building/, 'nothing is said to be ready, and nothing is built');
  t.match(withOption.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is taken by another program \\(not this gateway\\): stop that program, or choose another port with --port\\.`));
  t.notOk(existsSync(path.join(dir, 'data', 'gateway.pid')), 'no gateway was started');

  const withEnv = await run('bash', ['quick-start.sh', '--skip-install'], dir, { PORT: String(port) });
  t.equal(withEnv.code, 1);
  t.match(withEnv.stderr, new RegExp(`PORT=${port} comes from your environment \\(set another, or pass --port\\)`), 'the message names PORT when the port came from it');

  // A gateway this script did not start (npm start, another checkout) is told apart.
  const otherGatewayPort = await freePort();
  await otherService(t, otherGatewayPort, '{"status":"ready","checks":{"database":true}}');
  const otherGateway = await run('bash', ['quick-start.sh', '--skip-install', '--port', String(otherGatewayPort)], dir);
  t.equal(otherGateway.code, 1);
  t.match(otherGateway.stderr, /is taken by another Pinpoint Gateway, not one this script started from/);
});

t.test('quick-start.sh: a port taken while the gateway starts is a failure, and the log shown is this start\'s only', async (t) => {
  const dir = copyForTest(t);
  const port = await freePort();
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const logFile = path.join(dir, 'data', 'gateway.log');
  writeFileSync(logFile, '{"level":30,"msg":"a stale line from an earlier run"}\n');
  // The other service takes the port after the script checked it (while it builds), and answers
  // /readyz as a gateway would: only the started process itself can tell that it is not the one.
  const child = spawn('bash', ['quick-start.sh', '--skip-install', '--port', String(port)], { cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let taken: Promise<Server> | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    if (taken === undefined && stdout.includes('Building (npm run build)')) taken = otherService(t, port, '{"status":"ready","checks":{"database":true}}');
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  t.ok(taken, 'the other service took the port during the build');
  await taken;
  t.equal(code, 1, 'the start failed: exit 1', { stdout, stderr });
  t.notMatch(stdout, /is ready/, 'the other service was not taken for the gateway');
  t.match(stderr, /EADDRINUSE/, "this start's log lines are shown");
  t.match(stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 was taken by another program while it started: .*--port`));
  t.notMatch(stderr, /stale line/, 'and not the lines of an earlier run');
  t.match(readFileSync(logFile, 'utf8'), /stale line[^]*EADDRINUSE/, 'the log itself keeps both (appended)');
});

t.test("quick-start.sh: the caller's environment wins over .env, which stays unchanged", async (t) => {
  const dir = copyForTest(t);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const otherData = mkdtempSync(path.join(tmpdir(), 'gateway-quick-start-data-'));
  t.teardown(() => rmSync(otherData, { recursive: true, force: true }));
  const config = path.join(otherData, 'caller.config.yaml');
  writeFileSync(
    config,
    [
      'providers:',
      '  - { name: local-mock, kind: mock }',
      'models:',
      '  - { name: mock-chat, type: chat, deployments: [{ provider: local-mock, model: mock-1 }] }',
      '  - { name: mock-embed, type: embedding, deployments: [{ provider: local-mock, model: mock-embed-1 }] }',
      '  - { name: caller-chat, type: chat, deployments: [{ provider: local-mock, model: mock-1 }] }',
      '',
    ].join('\n'),
  );
  const callerEnv = { GATEWAY_DATA_DIR: otherData, GATEWAY_CONFIG: config, GATEWAY_ADMIN_PASSWORD: 'caller-password-0123' };

  const first = await run('bash', ['quick-start.sh', '--skip-install', '--port', String(port)], dir, callerEnv);
  t.equal(first.code, 0, 'started', { stdout: first.stdout, stderr: first.stderr });
  t.match(first.stdout, /From your environment, not \.env \(set there, it wins\): GATEWAY_ADMIN_PASSWORD GATEWAY_CONFIG GATEWAY_DATA_DIR\./);
  t.match(first.stdout, /the password is GATEWAY_ADMIN_PASSWORD from your environment/);
  t.ok(existsSync(path.join(otherData, 'gateway.sqlite')), 'the database is in GATEWAY_DATA_DIR from the environment');
  t.notOk(existsSync(path.join(dir, 'data', 'gateway.sqlite')), 'not in data/ (what .env says)');
  const sqlite = new Database(path.join(otherData, 'gateway.sqlite'), { readonly: true });
  const callerModel = sqlite.prepare("select count(*) as n from models where name = 'caller-chat'").get() as { n: number };
  sqlite.close();
  t.equal(callerModel.n, 1, 'GATEWAY_CONFIG from the environment was applied');
  const envFile = path.join(dir, '.env');
  const envText = readFileSync(envFile, 'utf8');
  t.match(envText, /^GATEWAY_DATA_DIR=data$/m, '.env keeps its own values');
  t.notMatch(envText, /caller-password-0123/, 'and the caller\'s password is not written there');

  // The admin password from the environment is the one the new database's admin got (the demo used it too).
  const login = await fetch(`${origin}/admin/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: callerEnv.GATEWAY_ADMIN_PASSWORD }),
  });
  t.equal(login.status, 200, 'the admin signs in with the password from the environment');
  const { access_token: token } = (await login.json()) as { access_token: string };
  // A provider credential, sealed under .env's GATEWAY_SECRET_KEY.
  const provider = await fetch(`${origin}/admin/providers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: 'sealed', kind: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-test-not-a-real-key' }),
  });
  t.equal(provider.status, 201, 'a provider with a stored credential');
  t.equal((await run('bash', ['quick-start.sh', '--stop'], dir)).code, 0, 'stopped');

  // Another GATEWAY_SECRET_KEY from the environment: it wins, so the stored credential cannot be
  // decrypted; the gateway refuses to start and the script says why, without touching .env.
  const otherKey = 'c'.repeat(64);
  const wrongKey = await run('bash', ['quick-start.sh', '--skip-install', '--port', String(port)], dir, { ...callerEnv, GATEWAY_SECRET_KEY: otherKey });
  t.equal(wrongKey.code, 1, 'a failure: exit 1', { stdout: wrongKey.stdout });
  t.match(wrongKey.stdout, /Note: your GATEWAY_SECRET_KEY is not the one in .*\.env \(which is left unchanged\)/, 'said before the start');
  t.match(wrongKey.stderr, /cannot decrypt the provider credentials stored in .*: they were stored under another GATEWAY_SECRET_KEY than yours, from your environment\. Unset GATEWAY_SECRET_KEY to use the one in/);
  t.notMatch(wrongKey.stderr, /Server listening at/, "the first start's log lines are not shown again");
  t.notMatch(wrongKey.stdout, /is ready/);
  t.equal(readFileSync(envFile, 'utf8'), envText, '.env unchanged');
});
