import { escapeControl } from './text-escape.js';

/**
 * A failure caused by the user's input or invocation: printed as one line on stderr (no stack),
 * exit code 1 for bad data/runtime problems, 2 for usage errors. Anything else that escapes a
 * command is a bug in oligotrack and is reported as an internal error.
 */
export class UserError extends Error {
  readonly exitCode: 1 | 2;
  constructor(message: string, exitCode: 1 | 2 = 1) {
    super(escapeControl(message)); // one line, whatever user text it quotes
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** Usage error (bad flags, missing arguments): exit code 2. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** Error about a specific file (and optionally line/column): `file:line:col: message`. */
export function fileError(file: string, message: string, line?: number, column?: number): UserError {
  const where = line === undefined ? file : column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
  return new UserError(`${where}: ${message}`);
}
