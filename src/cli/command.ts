import type { Argv, CommandModule } from 'yargs';
import { UsageError, UserError } from '../util/errors.js';
import { errorLine, setLogCommand } from '../util/log.js';
import { declareOptions, readOptions, type ReadOptions } from './options.js';
import type { CommandGroupSpec, CommandSpec, OptionSpec } from './spec.js';

/**
 * The one place where errors become exit codes. A user's mistake (a UserError or a subclass) is
 * one stderr line and exit 1, or 2 for usage; anything else is an internal error (stack only
 * with OLIGOTRACK_DEBUG=1), exit 1.
 */
export function reportFailure(e: unknown): void {
  if (e instanceof UserError) {
    errorLine(e.message, e.exitCode === 2 ? 'usage error' : 'error');
    process.exitCode = e.exitCode;
    return;
  }
  const err = e as Error;
  errorLine(`internal error: ${err?.message ?? String(e)} (please report; set OLIGOTRACK_DEBUG=1 for details)`);
  if (process.env.OLIGOTRACK_DEBUG) process.stderr.write(`${err?.stack}\n`);
  process.exitCode = 1;
}

/** A usage error found by yargs (its messages may span lines: one line, as promised). */
export function usageFailure(message: string): void {
  reportFailure(new UsageError(String(message).replace(/\s*\n\s*/g, ' ')));
}

/** A command: its spec (the contract) and its yargs module (built from the spec). */
export interface CliCommand<T extends readonly OptionSpec[] = readonly OptionSpec[]> {
  spec: CommandSpec & { readonly options: T };
  module: CommandModule;
  /** The handler yargs calls, for parsed arguments from yargs or from plainArguments (main.ts). */
  handle: (args: Record<string, unknown>) => Promise<void>;
}

/** A command whose handler receives validated, typed option values; errors go to reportFailure. */
export function defineCommand<const T extends readonly OptionSpec[]>(
  spec: CommandSpec & { readonly options: T },
  run: (options: ReadOptions<T>) => Promise<void> | void,
): CliCommand<T> {
  const handle = async (args: Record<string, unknown>): Promise<void> => {
    setLogCommand(spec.name);
    try {
      await run(readOptions(spec, args));
    } catch (e) {
      reportFailure(e);
    }
  };
  return {
    spec,
    handle,
    module: { command: spec.command, describe: spec.describe, builder: (y: Argv) => declareOptions(y, spec), handler: handle },
  };
}

/** A group of subcommands (`store init`, `store list`, …). */
export interface CliGroup {
  spec: CommandGroupSpec;
  module: CommandModule;
}

export function defineGroup(name: string, describe: string, commands: readonly CliCommand[]): CliGroup {
  const words = commands.map((c) => c.spec.name.split(' ').slice(1).join(' '));
  return {
    spec: { name, describe, subcommands: commands.map((c) => c.spec) },
    module: {
      command: name,
      describe,
      builder: (y: Argv) => {
        let out = y;
        for (const c of commands) out = out.command(c.module);
        return out.demandCommand(1, `name a ${name} command: ${words.join(', ')}`);
      },
      handler: () => {},
    },
  };
}
