import type { CommandModule } from 'yargs';
import { UserError } from '../util/errors.js';
import { handler } from './command.js';

// Placeholder: replaced by the real command.
export const trackCommand: CommandModule = {
  command: 'track',
  describe: '(not yet available)',
  handler: handler('track', () => {
    throw new UserError('track: not implemented yet');
  }),
};
