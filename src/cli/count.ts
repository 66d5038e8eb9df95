import type { CommandModule } from 'yargs';
import { UserError } from '../util/errors.js';
import { handler } from './command.js';

// Placeholder: replaced by the real command.
export const countCommand: CommandModule = {
  command: 'count',
  describe: '(not yet available)',
  handler: handler('count', () => {
    throw new UserError('count: not implemented yet');
  }),
};
