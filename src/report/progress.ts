import { info } from '../util/log.js';

/**
 * Progress of a multi-step stage: a redrawn bar when stderr is a terminal, otherwise one plain log
 * line per step (a bar's carriage returns would fill a pipeline log with garbage).
 */
export class Progress {
  private readonly tty: boolean;
  private lastWidth = 0;

  constructor(private readonly label: string, public total: number, tty = Boolean(process.stderr.isTTY)) {
    this.tty = tty && !process.env.OLIGOTRACK_QUIET;
  }

  step(done: number, what: string): void {
    if (!this.tty) {
      info(`${this.label} ${done}/${this.total}: ${what}`);
      return;
    }
    const width = 24;
    const filled = this.total ? Math.round((done / this.total) * width) : width;
    const line = `${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${this.total} ${what}`;
    const cols = process.stderr.columns ?? 100;
    const text = line.length > cols - 1 ? line.slice(0, cols - 1) : line;
    process.stderr.write(`\r${text}${' '.repeat(Math.max(0, this.lastWidth - text.length))}`);
    this.lastWidth = text.length;
  }

  done(): void {
    if (this.tty && this.lastWidth > 0) process.stderr.write('\n');
    this.lastWidth = 0;
  }
}
