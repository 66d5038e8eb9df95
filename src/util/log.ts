import { escapeControl } from './text-escape.js';

/**
 * Diagnostics go to stderr, prefixed with the tool and command, so pipeline logs say who spoke;
 * one line each, whatever they quote (control characters escaped).
 */
let prefix = 'oligotrack';

export function setLogCommand(command: string): void {
  prefix = `oligotrack ${command}`;
}

export function warn(message: string): void {
  process.stderr.write(`${prefix}: warning: ${escapeControl(message)}\n`);
}

export function info(message: string): void {
  if (process.env.OLIGOTRACK_QUIET) return;
  process.stderr.write(`${prefix}: ${escapeControl(message)}\n`);
}

/** The error line of a failed command: `usage error` for a mistake in the command line itself (exit 2). */
export function errorLine(message: string, kind: 'error' | 'usage error' = 'error'): void {
  process.stderr.write(`${prefix}: ${kind}: ${escapeControl(message)}\n`);
}
