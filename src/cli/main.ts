#!/usr/bin/env node
import type { CommandModule } from 'yargs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { VERSION } from '../version.js';

// One file per command; this file only wires them. Each command module is imported only when it
// is the one being run: importing all ten costs ~0.5 s of CPU per invocation (zod schemas,
// @gmod parsers, better-sqlite3), against ~0.2 s for `count` alone, and pipelines start the CLI
// once per sample.
// Each command declares its own argument type; yargs only needs them as modules here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = CommandModule<any, any>;

const COMMANDS: Record<string, () => Promise<AnyCommand>> = {
  count: async () => (await import('./count.js')).countCommand,
  panel: async () => (await import('./panel.js')).panelCommand,
  pon: async () => (await import('./pon.js')).ponCommand,
  simulate: async () => (await import('./simulate.js')).simulateCommand,
  track: async () => (await import('./track.js')).trackCommand,
  classify: async () => (await import('./classify.js')).classifyCommand,
  report: async () => (await import('./report.js')).reportCommand,
  run: async () => (await import('./run.js')).runCommand,
  demo: async () => (await import('./demo.js')).demoCommand,
  store: async () => (await import('./store.js')).storeCommand,
};

const argv = hideBin(process.argv);
if (argv.length === 1 && argv[0] === '--version') {
  process.stdout.write(`${VERSION}\n`);
  process.exit(0);
}

// The named command alone when there is one; every command for top-level help and usage errors.
const first = argv[0];
const names = first !== undefined && first in COMMANDS ? [first] : Object.keys(COMMANDS);
const modules = await Promise.all(names.map((name) => COMMANDS[name]!()));

let cli = yargs(argv).scriptName('oligotrack');
for (const module of modules) cli = cli.command(module);
await cli
  .demandCommand(1, 'name a command (see oligotrack --help)')
  .strict()
  .version(VERSION)
  .help()
  .wrap(Math.min(110, process.stdout.columns ?? 110))
  .fail((msg, err) => {
    if (err) throw err;
    // yargs spreads some messages over lines ("Invalid values:\n  Argument: …"): one line, as promised.
    process.stderr.write(`oligotrack: usage error: ${String(msg).replace(/\s*\n\s*/g, ' ')}\n`);
    process.exit(2);
  })
  .parseAsync();
