/** Exit codes of `gateway`: 0 done, 1 the operation failed, 2 the command line is wrong. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** An error the CLI prints as one message (no stack) before exiting with `exitCode`. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
  }
}

export function usageError(message: string): CliError {
  return new CliError(`${message}\nRun 'gateway help' for the commands and their options.`, EXIT_USAGE);
}
