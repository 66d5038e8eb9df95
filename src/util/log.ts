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

export function errorLine(message: string): void {
  process.stderr.write(`${prefix}: error: ${escapeControl(message)}\n`);
}
