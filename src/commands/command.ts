// The shape every CLI command module exports as `command`.
import type { parseArgs, ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What parseArgs (strict) returns for these options: a string or boolean per option, by its type. */
export type OptionValues<O extends Options> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>>['values'];

export interface CommandOf<O extends Options> {
  summary: string;
  /** Full --help text: usage line, what it does, every option, an example. */
  usage: string;
  options: O;
  /** Resolves to the process exit code. */
  run(args: { positionals: string[]; values: OptionValues<O> }): Promise<number>;
}

/** A command as the CLI holds it: parseArgs with its own `options` produced the values it gets. */
export type Command = CommandOf<Options>;

/** Define a command: `values` in run is typed by the options it declares. */
export function defineCommand<const O extends Options>(command: CommandOf<O>): Command {
  // Sound: cli.ts parses argv with this command's own `options` before it calls run.
  return command as unknown as Command;
}

/**
 * Exit status of a usage error (BSD sysexits EX_USAGE). Never 2: under `plan --detailed-exitcode`
 * 2 means "changes present", and CI must not read a mistyped flag as that.
 */
export const EXIT_USAGE = 64;
