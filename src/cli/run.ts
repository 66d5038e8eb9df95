import type { CommandModule } from 'yargs';
import { UserError } from '../util/errors.js';
import { handler } from './command.js';

// Placeholder: replaced by the real command.
export const runCommand: CommandModule = {
  command: 'run',
  describe: '(not yet available)',
  handler: handler('run', () => {
    throw new UserError('run: not implemented yet');
  }),
};
