/** Option parsing and small helpers of `oligotrack count`, shared with `oligotrack pon`. */
import { basename } from 'node:path';
import { DEFAULT_COUNT_SETTINGS, FLAG, type CountSettings, type MatesMode } from '../count/types.js';
import { UsageError } from '../util/errors.js';
import { warn } from '../util/log.js';

/** samtools' flag names (`samtools flags`), for `--exclude-flags UNMAP,DUP`. */
const FLAG_NAMES: Record<string, number> = {
  PAIRED: FLAG.PAIRED, PROPER_PAIR: FLAG.PROPER_PAIR, UNMAP: FLAG.UNMAPPED, MUNMAP: FLAG.MATE_UNMAPPED,
  REVERSE: FLAG.REVERSE, MREVERSE: FLAG.MATE_REVERSE, READ1: FLAG.READ1, READ2: FLAG.READ2,
  SECONDARY: FLAG.SECONDARY, QCFAIL: FLAG.QCFAIL, DUP: FLAG.DUPLICATE, SUPPLEMENTARY: FLAG.SUPPLEMENTARY,
};

/** `0xF04`, `3844`, `0` or `UNMAP,SECONDARY,...` → the flag mask (0..0xFFF). */
export function parseFlagMask(text: string): number {
  const t = text.trim();
  let mask: number;
  if (/^0x[0-9a-f]+$/i.test(t)) mask = parseInt(t.slice(2), 16);
  else if (/^\d+$/.test(t)) mask = Number(t);
  else {
    mask = 0;
    for (const name of t.split(',')) {
      const bit = FLAG_NAMES[name.trim().toUpperCase()];
      if (bit === undefined) throw new UsageError(`--exclude-flags: unknown flag ${JSON.stringify(name)} (use a number such as 0xF04 or names: ${Object.keys(FLAG_NAMES).join(',')})`);
      mask |= bit;
    }
  }
  if (!(mask >= 0 && mask <= 0xfff)) throw new UsageError(`--exclude-flags ${text}: not a SAM flag mask (0..0xFFF)`);
  return mask;
}

export function integerOption(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

/** --sample, else the single SM of the header's @RG lines, else the file name without .bam. */
export function sampleName(explicit: string | undefined, headerText: string, bamPath: string): string {
  if (explicit !== undefined) return explicit;
  const names = new Set<string>();
  for (const line of headerText.split('\n')) {
    if (!line.startsWith('@RG\t')) continue;
    const sm = line.split('\t').find((f) => f.startsWith('SM:'));
    if (sm && sm.length > 3) names.add(sm.slice(3));
  }
  if (names.size === 1) return [...names][0];
  const stem = bamPath === '-' ? 'stdin' : basename(bamPath).replace(/\.(bam|cram|sam)$/i, '');
  if (names.size > 1) warn(`${bamPath}: read groups name ${names.size} samples (${[...names].sort().join(', ')}); using ${stem}, give --sample to choose`);
  return stem;
}

/** Shell-quoted argv, so `##oligotrackCommand` can be pasted back into a shell. */
export function commandLine(): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['oligotrack', ...process.argv.slice(2).map(quote)].join(' ');
}

/** Progress on stderr only when it is a terminal: a bar in a pipeline log fills it. */
export function progressReporter(): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let lastPercent = -1;
  return (done, total) => {
    const percent = total > 0 ? Math.floor((100 * done) / total) : 100;
    if (percent === lastPercent) return;
    lastPercent = percent;
    process.stderr.write(`\roligotrack count: ${percent}%${done >= total ? '\n' : ''}`);
  };
}

/** The counting flags `count` and `pon` share (one reading of them, so a PoN counts like a sample). */
export interface CountSettingsArgs {
  'min-mapq': number;
  'min-baseq': number;
  mates: MatesMode;
  'exclude-flags': string;
  umi: boolean;
  'umi-source': CountSettings['umiSource'];
  'keep-singletons': boolean;
}

export function countSettingsFromArgs(args: CountSettingsArgs): CountSettings {
  return {
    ...DEFAULT_COUNT_SETTINGS,
    minMapq: integerOption('min-mapq', args['min-mapq'], 0, 255),
    minBaseq: integerOption('min-baseq', args['min-baseq'], 0, 255),
    mates: args.mates,
    excludeFlags: parseFlagMask(args['exclude-flags']),
    umi: args.umi,
    umiSource: args['umi-source'],
    keepSingletons: args['keep-singletons'],
  };
}
