import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCommands } from '../../src/cli/commands.js';
import { checkArguments, nearest } from '../../src/cli/suggest.js';
import { UsageError } from '../../src/util/errors.js';

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'oligotrack-suggest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });

/** The one stderr line of a usage error (exit 2, nothing on stdout). */
function usageLine(args: string[]): string {
  const r = run(...args);
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  return lines[0];
}

describe('typos in commands and options get the nearest name (exit 2, one line)', () => {
  it.each([
    [['cout', '--bam', 'x.bam', '--sites', 's.tsv'], "oligotrack: usage error: unknown command 'cout'; did you mean count?"],
    [['count', '--bam', 'x.bam', '--site', 's.tsv'], 'oligotrack count: usage error: unknown option --site; did you mean --sites?'],
    // --out names a file in count; the directory spelling is refused before anything is counted.
    [
      ['count', '--bam', 'x.bam', '--sites', 's.tsv', '--out-dir', 'o'],
      'oligotrack count: usage error: unknown option --out-dir; did you mean --out?',
    ],
    [['demo', '--outdir', 'd'], 'oligotrack demo: usage error: unknown option --outdir; did you mean --out-dir?'],
    [
      ['track', '--samplesheet', 's.csv', '--out-dir', 'o', '--threds', '2'],
      'oligotrack track: usage error: unknown option --threds; did you mean --threads?',
    ],
    [
      ['run', '--samplesheet', 's', '--clinical', 'c', '--imaging', 'i', '--out-dir', 'o', '--refernce', 'g.fa'],
      'oligotrack run: usage error: unknown option --refernce; did you mean --reference?',
    ],
    [
      ['pon', '--bam', 'n.bam', '--sites', 's.tsv', '--out', 'p.tsv', '--min-mapqq', '20'],
      'oligotrack pon: usage error: unknown option --min-mapqq; did you mean --min-mapq?',
    ],
    [['store', 'lst'], "oligotrack store: usage error: unknown store command 'lst'; did you mean list?"],
    [
      ['count', '--bam', 'x.bam', '--sites', 's.tsv', '--zzzzzz'],
      'oligotrack count: usage error: unknown option --zzzzzz; see oligotrack count --help',
    ],
  ])('%j', (args, line) => {
    expect(usageLine(args)).toBe(line);
  });

  it('demo --out-dir with a typo writes nothing', () => {
    usageLine(['demo', '--out-dir', join(dir, 'demo'), '--thread', '1']);
    expect(existsSync(join(dir, 'demo'))).toBe(false);
  });
});

describe('a bad value is echoed with the option name', () => {
  it.each([
    [['count', '--bam', 'x.bam', '--sites', 's.tsv', '--min-mapq', 'abc'], "--min-mapq: 'abc' is not an integer"],
    [['count', '--bam', 'x.bam', '--sites', 's.tsv', '--threads', '0'], "--threads: '0' is out of range (from 1 to 256)"],
    [['track', '--samplesheet', 's.csv', '--out-dir', 'o', '--threads', '2.5'], "--threads: '2.5' is not an integer"],
    [['count', '--bam', 'x.bam', '--sites', 's.tsv', '--format', 'xml'], "--format: 'xml' is not one of tsv, vcf, json"],
    [['panel', 'export', '--format', 'xml'], "--format: 'xml' is not one of tsv, vcf, bed"],
    [['count', '--bam', 'x.bam', '--sites', 's.tsv', '--exclude-flags', 'DUPE'], "--exclude-flags: 'DUPE' is not a SAM flag mask"],
    [
      ['track', '--samplesheet', 's.csv', '--out-dir', 'o', '--site-alpha', '1.5'],
      "--site-alpha: '1.5' is not between 0 and 1 (exclusive)",
    ],
  ])('%j', (args, message) => {
    const line = usageLine(args);
    expect(line).toMatch(/^oligotrack [a-z ]+: usage error: /);
    expect(line).toContain(message);
  });
});

const COMMANDS = (await loadCommands()).map((c) => c.spec);

describe('shared options are declared once', () => {
  const specOf = (name: string) => {
    for (const c of COMMANDS) {
      if ('subcommands' in c) {
        const sub = c.subcommands.find((s) => s.name === name);
        if (sub) return sub;
      } else if (c.name === name) return c;
    }
    throw new Error(name);
  };
  it('count, pon, track and run take the same --threads, --reference and --sites (same kind, bounds, meaning)', () => {
    for (const option of ['threads', 'reference', 'sites', 'min-mapq', 'exclude-flags', 'umi-source']) {
      const found = ['count', 'pon', 'track', 'run'].map((c) => specOf(c).options.find((o) => o.name === option));
      expect(
        found.every((o) => o !== undefined),
        option,
      ).toBe(true);
      const shape = (o: (typeof found)[number]) => ({ kind: o!.kind, min: o!.min, max: o!.max, choices: o!.choices });
      for (const o of found) expect(shape(o), option).toEqual(shape(found[0]));
    }
  });
  it('a directory is --out-dir and a file is --out, in every command', () => {
    for (const c of ['track', 'run', 'report', 'demo'])
      expect(
        specOf(c).options.some((o) => o.name === 'out-dir'),
        c,
      ).toBe(true);
    for (const c of ['count', 'pon', 'classify']) expect(specOf(c).options.find((o) => o.name === 'out')?.kind, c).toBe('path');
    for (const c of ['track', 'run'])
      expect(specOf(c).options.find((o) => o.name === 'store')?.describe, c).toBe(
        specOf('track').options.find((o) => o.name === 'store')!.describe,
      );
  });
  it('the suggestion is the closest accepted name, never a hidden old spelling', () => {
    expect(nearest('sits', ['sites', 'site-alpha'])).toBe('sites');
    expect(nearest('q', ['sites'])).toBeUndefined();
    expect(() => checkArguments(['run', '--outt', 'x'], COMMANDS)).toThrow(
      new UsageError('unknown option --outt; did you mean --out-dir?'),
    );
  });
});

describe('an old spelling still works for one release, with a deprecation line', () => {
  it('report --out DIR is read as --out-dir, with one deprecation line; giving both is refused', () => {
    const r = run('report', '--in', join(dir, 'no-such-track'), '--out', join(dir, 'rep'));
    expect(r.status).toBe(1); // the missing --in directory, after the option was accepted
    expect(r.stderr).toMatch(/--out is deprecated and will be removed in the next release: use --out-dir/);
    expect(r.stderr).toMatch(/no-such-track/);
    expect(existsSync(join(dir, 'rep'))).toBe(false);
    expect(usageLine(['report', '--in', dir, '--out', 'a', '--out-dir', 'b'])).toMatch(
      /--out is the old spelling of --out-dir: give one of them/,
    );
  });
});
