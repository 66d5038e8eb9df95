#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { VERSION } from '../version.js';
import { classifyCommand } from './classify.js';
import { countCommand } from './count.js';
import { demoCommand } from './demo.js';
import { panelCommand } from './panel.js';
import { ponCommand } from './pon.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { simulateCommand } from './simulate.js';
import { storeCommand } from './store.js';
import { trackCommand } from './track.js';

// One file per command; this file only wires them. Usage errors exit 2 with one line on stderr.
await yargs(hideBin(process.argv))
  .scriptName('oligotrack')
  .command(countCommand)
  .command(panelCommand)
  .command(ponCommand)
  .command(simulateCommand)
  .command(trackCommand)
  .command(classifyCommand)
  .command(reportCommand)
  .command(runCommand)
  .command(demoCommand)
  .command(storeCommand)
  .demandCommand(1, 'name a command (see oligotrack --help)')
  .strict()
  .version(VERSION)
  .help()
  .wrap(Math.min(110, process.stdout.columns ?? 110))
  .fail((msg, err) => {
    if (err) throw err;
    process.stderr.write(`oligotrack: usage error: ${msg}\n`);
    process.exit(2);
  })
  .parseAsync();
