import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { envSchema } from '../src/config/env.js';
import { projectRoot } from '../src/project-root.js';

// It builds the project and starts real processes: minutes on a busy machine, seconds on an idle one.
t.setTimeout(180_000);

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

function run(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: cleanEnv(), timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

const line = (text: string, start: string) => text.split('\n').find((candidate) => candidate.startsWith(start));

t.test('quick-start.sh from a clean copy: ready, a working demo call, idempotent, --status, --stop', async (t) => {
  const dir = cleanCopy();
  const port = await freePort();
  const pidFile = path.join(dir, 'data', 'gateway.pid');
  t.teardown(() => {
    // Whatever happened, leave no gateway behind.
    if (existsSync(pidFile)) {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

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
