import type { CommandModule } from 'yargs';
import { UserError } from '../util/errors.js';
import { handler } from './command.js';

// Placeholder: replaced by the real command.
export const panelCommand: CommandModule = {
  command: 'panel',
  describe: '(not yet available)',
  handler: handler('panel', () => {
    throw new UserError('panel: not implemented yet');
  }),
};
