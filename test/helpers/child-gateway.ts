import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyGatewayConfig } from '../../src/config/apply-gateway-config.js';
import { envSchema } from '../../src/config/env.js';
import { parseGatewayConfig } from '../../src/config/gateway-config.js';
import { openDatabase, type GatewayDb } from '../../src/db/client.js';
import { projectRoot } from '../../src/project-root.js';
import { createSecretBox } from '../../src/secrets/secret-box.js';
import { seedAllowedCaller, type AllowedCaller } from './seed-access.js';

/**
 * The `src/` beside this test's own tree, in the test's own form: `.build/src/*.js` when the
 * suite runs compiled (`npm test`), `src/*.ts` when a test file runs from its source under tsx.
 */
const thisFile = fileURLToPath(import.meta.url);
const sourceDir = path.resolve(path.dirname(thisFile), '..', '..', 'src');
const sourceExtension = path.extname(thisFile);

/** The TypeScript loader this test runs with (none when it runs compiled), for a child to use too. */
function typescriptLoaderArgs(): string[] {
  return process.execArgv.filter((arg) => arg.includes('tsx'));
}

/** The test's environment passes (tap's own variables among them); the gateway's variables do not. */
function inheritedEnv(): Record<string, string> {
  const gatewayVariables = new Set(Object.keys(envSchema.shape));
  return Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !gatewayVariables.has(entry[0]) && !entry[0].startsWith('GATEWAY_')),
  );
}

/** Runs the gateway's `<name>` entry point (`server`, `cli`) in a child Node process. */
function spawnEntryPoint(name: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...typescriptLoaderArgs(), path.join(sourceDir, name + sourceExtension), ...args], {
    cwd: projectRoot,
    env: { ...inheritedEnv(), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export const TEST_SECRET_KEY = 'b'.repeat(64);

interface Teardown {
  teardown(fn: () => unknown): void;
}

/**
 * A data dir with the configuration already applied, so a test can seed callers before the
 * gateway process starts (its in-memory snapshot is loaded at boot).
 */
export function prepareDataDir(t: Teardown, configText: string, seed?: (db: GatewayDb) => void): { dataDir: string; configFile: string } {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gateway-child-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const configFile = path.join(dataDir, 'gateway.config.yaml');
  writeFileSync(configFile, configText);
  const { db, close } = openDatabase(dataDir);
  try {
    applyGatewayConfig(db, parseGatewayConfig(configText, configFile, {}), createSecretBox(Buffer.from(TEST_SECRET_KEY, 'hex')));
    seed?.(db);
  } finally {
    close();
  }
  return { dataDir, configFile };
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function exited(child: ChildProcess): Promise<ChildExit> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Collects a child's output and resolves with its origin once pino logs "Server listening at …". */
export function listeningOrigin(child: ChildProcess, output: { text: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output.text += chunk.toString('utf8');
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output.text);
      if (match?.[1] !== undefined) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the gateway exited (${code}) before listening:\n${output.text}`)));
  });
}

export interface ChildGateway {
  child: ChildProcess;
  origin: string;
  dataDir: string;
  /** Everything the process has printed so far (its log lines at `info`). */
  output: { text: string };
  /** A key allowed to call the models the gateway was started with. */
  caller: AllowedCaller;
}

/**
 * The gateway's server (`src/server.ts`, or its compiled form) in a child process on a free
 * loopback port, with `config` applied and a caller allowed to call `models`; resolves once it
 * listens, and is SIGKILLed with the test if it is still running then. For tests of what only a
 * real process does: signals, exit codes.
 */
export async function startChildGateway(t: Teardown, options: { config: string; models: string[]; shutdownGraceMs: number }): Promise<ChildGateway> {
  let caller: AllowedCaller | undefined;
  const { dataDir, configFile } = prepareDataDir(t, options.config, (db) => {
    caller = seedAllowedCaller(db, options.models);
  });
  if (caller === undefined) throw new Error('the caller was not seeded');
  const child = spawnEntryPoint('server', [], {
    PORT: '0',
    HOST: '127.0.0.1',
    GATEWAY_DATA_DIR: dataDir,
    GATEWAY_CONFIG: configFile,
    GATEWAY_SECRET_KEY: TEST_SECRET_KEY,
    GATEWAY_SHUTDOWN_GRACE_MS: String(options.shutdownGraceMs),
    LOG_LEVEL: 'info',
  });
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const output = { text: '' };
  const origin = await listeningOrigin(child, output);
  return { child, origin, dataDir, output, caller };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `gateway <args>` (the CLI, in the test's own form) and waits for it to end. */
export async function runCli(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<CliRun> {
  const child = spawnEntryPoint('cli', args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin?.end(stdin ?? '');
  // 'close' (not 'exit'): the output streams have been read to the end.
  const code = await new Promise<number | null>((resolve) => child.once('close', (exitCode) => resolve(exitCode)));
  return { code, stdout, stderr };
}

/** An empty data dir, removed with the test. */
export function tempDataDir(t: Teardown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gateway-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
