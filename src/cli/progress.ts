import { info } from '../util/log.js';

/**
 * Progress on stderr: a redrawn line when stderr is a terminal, otherwise one plain log line per
 * step (a bar's carriage returns would fill a pipeline log with garbage). The use cases in src/app
 * only call back with (done, total); drawing is the CLI's business.
 */

/** Columns assumed when the terminal reports none: some terminals (and `script`) report 0. */
const FALLBACK_COLUMNS = 80;

/** The usable width of the terminal: `columns` when it is a positive number, else the fallback. */
export function terminalColumns(columns: number | undefined = process.stderr.columns): number {
  return columns !== undefined && Number.isInteger(columns) && columns > 0 ? columns : FALLBACK_COLUMNS;
}

/**
 * `text` cut to at most `width` characters (code points, so a character outside the BMP is never
 * split into half a surrogate pair). The last column is left free: writing into it makes many
 * terminals wrap before the carriage return.
 */
export function fitToWidth(text: string, columns: number): string {
  const chars = Array.from(text);
  const width = Math.max(1, columns - 1);
  return chars.length <= width ? text : chars.slice(0, width).join('');
}

export class Progress {
  private readonly tty: boolean;
  private lastWidth = 0;

  constructor(
    private readonly label: string,
    public total: number,
    tty = Boolean(process.stderr.isTTY),
  ) {
    this.tty = tty && !process.env.OLIGOTRACK_QUIET;
  }

  step(done: number, what: string): void {
    if (!this.tty) {
      info(`${this.label} ${done}/${this.total}: ${what}`);
      return;
    }
    const width = 24;
    const filled = this.total ? Math.min(width, Math.round((done / this.total) * width)) : width;
    const line = `${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${this.total} ${what}`;
    this.draw(line);
  }

  /** A percentage, redrawn only when it changes (for one long pass such as counting one BAM). */
  percent(done: number, total: number): void {
    if (!this.tty) return;
    const percent = total > 0 ? Math.floor((100 * done) / total) : 100;
    this.draw(`${this.label}: ${percent}%`);
    if (done >= total) this.done();
  }

  done(): void {
    if (this.tty && this.lastWidth > 0) process.stderr.write('\n');
    this.lastWidth = 0;
    this.lastText = '';
  }

  private draw(line: string): void {
    const text = fitToWidth(line, terminalColumns());
    const length = Array.from(text).length;
    if (text === this.lastText) return;
    this.lastText = text;
    process.stderr.write(`\r${text}${' '.repeat(Math.max(0, this.lastWidth - length))}`);
    this.lastWidth = length;
  }

  private lastText = '';
}

/** count's progress callback: a percentage when stderr is a terminal, nothing otherwise. */
export function countProgress(label: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY || process.env.OLIGOTRACK_QUIET) return undefined;
  const bar = new Progress(label, 100);
  return (done, total) => bar.percent(done, total);
}
