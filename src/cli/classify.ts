import type { CommandModule } from 'yargs';
import { UserError } from '../util/errors.js';
import { handler } from './command.js';

// Placeholder: replaced by the real command.
export const classifyCommand: CommandModule = {
  command: 'classify',
  describe: '(not yet available)',
  handler: handler('classify', () => {
    throw new UserError('classify: not implemented yet');
  }),
};
