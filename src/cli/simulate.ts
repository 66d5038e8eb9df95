import type { CommandModule } from 'yargs';
import { UserError } from '../util/errors.js';
import { handler } from './command.js';

// Placeholder: replaced by the real command.
export const simulateCommand: CommandModule = {
  command: 'simulate',
  describe: '(not yet available)',
  handler: handler('simulate', () => {
    throw new UserError('simulate: not implemented yet');
  }),
};
