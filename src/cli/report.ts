import type { CommandModule } from 'yargs';
import { UserError } from '../util/errors.js';
import { handler } from './command.js';

// Placeholder: replaced by the real command.
export const reportCommand: CommandModule = {
  command: 'report',
  describe: '(not yet available)',
  handler: handler('report', () => {
    throw new UserError('report: not implemented yet');
  }),
};
