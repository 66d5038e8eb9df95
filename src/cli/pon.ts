import type { CommandModule } from 'yargs';
import { UserError } from '../util/errors.js';
import { handler } from './command.js';

// Placeholder: replaced by the real command.
export const ponCommand: CommandModule = {
  command: 'pon',
  describe: '(not yet available)',
  handler: handler('pon', () => {
    throw new UserError('pon: not implemented yet');
  }),
};
