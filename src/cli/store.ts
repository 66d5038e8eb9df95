import type { CommandModule } from 'yargs';
import { UserError } from '../util/errors.js';
import { handler } from './command.js';

// Placeholder: replaced by the real command.
export const storeCommand: CommandModule = {
  command: 'store',
  describe: '(not yet available)',
  handler: handler('store', () => {
    throw new UserError('store: not implemented yet');
  }),
};
