// The shape every CLI command module exports as `command`.
import type { ParseArgsConfig } from 'node:util';

export interface Command {
  summary: string;
  /** Full --help text: usage line, what it does, every option, an example. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Resolves to the process exit code. */
  run(args: { positionals: string[]; values: Record<string, any> }): Promise<number>;
}

/**
 * Exit status of a usage error (BSD sysexits EX_USAGE). Never 2: under `plan --detailed-exitcode`
 * 2 means "changes present", and CI must not read a mistyped flag as that.
 */
export const EXIT_USAGE = 64;
