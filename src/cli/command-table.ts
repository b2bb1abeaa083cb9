import type { ParseArgsConfig } from 'node:util';

type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | undefined>;

export interface Command {
  /** The words that name it: ['keys', 'create']. */
  path: string[];
  options: OptionSpec;
  /** Names of the positional arguments it takes, in order (all required). */
  positionals: string[];
  run(values: OptionValues, positionals: string[]): Promise<void>;
}

export const commonOptions: OptionSpec = {
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export const liveOptions: OptionSpec = {
  url: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
};

/** The command named by the leading words of argv (the longest match), and the rest. */
export function findCommand(commands: readonly Command[], argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  const matches = commands
    .filter((command) => command.path.every((word, index) => argv[index] === word))
    .sort((a, b) => b.path.length - a.path.length);
  const command = matches[0];
  return command === undefined ? undefined : { command, rest: argv.slice(command.path.length) };
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}
