#!/usr/bin/env node
import { VERSION } from '../version.js';
import { reportFailure, usageFailure } from './command.js';
import { COMMAND_LOADERS, loadCommands } from './commands.js';
import { plainArguments } from './plain-arguments.js';
import { checkArguments, isGroup } from './suggest.js';

// One file per command; this file only wires them. The named command's module alone is imported:
// importing all ten costs ~0.5 s of CPU per invocation (zod schemas, @gmod parsers,
// better-sqlite3), against ~0.2 s for `count` alone, and pipelines start the CLI once per sample.
// A plain command line (plain-arguments.ts) goes straight to the handler: yargs, ~0.1 s to import
// and ~0.1 s to render the help it caches before each handler, is loaded only for everything else.

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  process.stdout.write(`${VERSION}\n`);
  process.exit(0);
}

/**
 * `count --threads N`: the N-1 worker threads start before the command's modules load, so that
 * their own start (~85 ms) overlaps the CLI's instead of the count (src/count/worker-pool.ts).
 * A value that is not a plain integer starts none; the option's validator reports it.
 */
async function prestartWorkers(): Promise<void> {
  if (argv[0] !== 'count') return;
  const at = argv.lastIndexOf('--threads');
  const text = at > 0 ? argv[at + 1] : argv.find((a) => a.startsWith('--threads='))?.slice('--threads='.length);
  const threads = text !== undefined && /^\d{1,3}$/.test(text) ? Number(text) : 1;
  if (threads < 2) return;
  const { THREADS_OPTION } = await import('./spec.js');
  if (threads > THREADS_OPTION.max) return;
  const { prestartCountWorkers } = await import('../count/worker-pool.js');
  prestartCountWorkers(threads - 1);
}

async function main(): Promise<void> {
  await prestartWorkers();
  // The named command alone when there is one; every command for top-level help and usage errors.
  const first = argv[0];
  const commands = await loadCommands(first !== undefined && first in COMMAND_LOADERS ? [first] : Object.keys(COMMAND_LOADERS));
  try {
    checkArguments(
      argv,
      commands.map((c) => c.spec),
    );
  } catch (e) {
    reportFailure(e);
    return;
  }
  const only = commands.length === 1 ? commands[0] : undefined;
  if (only && 'handle' in only && !isGroup(only.spec)) {
    const args = plainArguments(only.spec, argv.slice(1));
    if (args) return only.handle(args);
  }
  const { default: yargs } = await import('yargs');
  let cli = yargs(argv).scriptName('oligotrack');
  for (const c of commands) cli = cli.command(c.module);
  await cli
    .demandCommand(1, 'name a command (see oligotrack --help)')
    .strict()
    .version(VERSION)
    .help()
    .wrap(Math.min(110, process.stdout.columns || 110))
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
      usageFailure(msg);
    })
    .parseAsync();
}

await main().catch(reportFailure);
