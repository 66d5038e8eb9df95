import { UserError } from '../util/errors.js';
import { errorLine, setLogCommand } from '../util/log.js';

/**
 * Wraps a command handler: user mistakes become one stderr line and exit 1 (2 for usage);
 * anything else is an internal error (stack only with OLIGOTRACK_DEBUG=1).
 */
export function handler<A>(command: string, run: (args: A) => Promise<void> | void): (args: A) => Promise<void> {
  return async (args: A) => {
    setLogCommand(command);
    try {
      await run(args);
    } catch (e) {
      if (e instanceof UserError) {
        errorLine(e.message);
        process.exitCode = e.exitCode;
        return;
      }
      const err = e as Error;
      errorLine(`internal error: ${err?.message ?? String(e)} (please report; set OLIGOTRACK_DEBUG=1 for details)`);
      if (process.env.OLIGOTRACK_DEBUG) process.stderr.write(`${err?.stack}\n`);
      process.exitCode = 1;
    }
  };
}
