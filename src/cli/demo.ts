import type { CommandModule } from 'yargs';
import { UserError } from '../util/errors.js';
import { handler } from './command.js';

// Placeholder: replaced by the real command.
export const demoCommand: CommandModule = {
  command: 'demo',
  describe: '(not yet available)',
  handler: handler('demo', () => {
    throw new UserError('demo: not implemented yet');
  }),
};
