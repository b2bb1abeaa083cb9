#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { CliError, EXIT_USAGE, usageError } from './cli/cli-error.js';
import { commonOptions, findCommand, liveOptions, type Command } from './cli/command-table.js';
import { usage } from './cli/usage.js';

const json = { json: { type: 'boolean' } } as const;

// Each command loads its code when run, so `gateway why` does not start the whole server's graph.
const commands: Command[] = [
  {
    path: ['serve'],
    options: {},
    positionals: [],
    // The server's own startup path: the same failure messages, and it keeps running.
    run: async () => {
      const [{ parseEnv }, { exitOnStartupFailure, serve }] = await Promise.all([import('./config/env.js'), import('./serve.js')]);
      await Promise.resolve()
        .then(() => serve(parseEnv()))
        .catch(exitOnStartupFailure);
    },
  },
  { path: ['migrate'], options: {}, positionals: [], run: async (values) => (await import('./cli/commands/migrate.js')).migrate(values) },
  {
    path: ['admin', 'create-user'],
    options: {
      username: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      role: { type: 'string' },
      tenant: { type: 'string' },
    },
    positionals: [],
    run: async (values) => (await import('./cli/commands/create-admin-user.js')).createAdminUserCommand(values),
  },
  { path: ['why'], options: json, positionals: ['request-id'], run: async (values, args) => (await import('./cli/commands/why.js')).why(values, args) },
  {
    path: ['keys', 'create'],
    options: { ...liveOptions, ...json, consumer: { type: 'string' }, name: { type: 'string' } },
    positionals: [],
    run: async (values) => (await import('./cli/commands/keys.js')).createKey(values),
  },
  {
    path: ['subscriptions', 'list'],
    options: { ...liveOptions, ...json, pending: { type: 'boolean' } },
    positionals: [],
    run: async (values) => (await import('./cli/commands/subscriptions.js')).listSubscriptions(values),
  },
  {
    path: ['subscriptions', 'approve'],
    options: liveOptions,
    positionals: ['subscription-id'],
    run: async (values, args) => (await import('./cli/commands/subscriptions.js')).approveSubscription(values, args),
  },
  { path: ['demo'], options: { ...liveOptions, ...json }, positionals: [], run: async (values) => (await import('./cli/commands/demo.js')).demo(values) },
];

async function main(argv: string[]): Promise<void> {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(usage);
    if (argv.length === 0) process.exitCode = EXIT_USAGE;
    return;
  }
  const found = findCommand(commands, argv);
  if (found === undefined) {
    // `gateway keys` names a group: say which subcommands it has, not that it does not exist.
    const group = commands.filter((command) => command.path.length > 1 && command.path[0] === argv[0]).map((command) => command.path.join(' '));
    if (group.length > 0 && (argv.length === 1 || argv[1]?.startsWith('-'))) throw usageError(`'gateway ${argv[0]}' needs a subcommand: ${group.map((name) => `gateway ${name}`).join(', ')}.`);
    throw usageError(`Unknown command '${argv.slice(0, 2).join(' ')}'.`);
  }
  const { command, rest } = found;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: { ...commonOptions, ...command.options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(`gateway ${command.path.join(' ')}: ${(error as Error).message}`);
  }
  if (parsed.values.help === true) {
    process.stdout.write(usage);
    return;
  }
  const name = `gateway ${command.path.join(' ')}`;
  const missing = command.positionals.slice(parsed.positionals.length);
  if (missing.length > 0) throw usageError(`${name} needs ${missing.map((word) => `<${word}>`).join(' ')}.`);
  const extra = parsed.positionals.slice(command.positionals.length);
  if (extra.length > 0) throw usageError(`${name}: unexpected argument '${extra.join(' ')}'.`);
  await command.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CliError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = error.exitCode;
    return;
  }
  process.stderr.write(`gateway: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
