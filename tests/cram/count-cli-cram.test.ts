import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBamWithIndex } from '../../src/io/bam-writer.js';
import { randomCase } from '../count/random-bam.js';
import { requireTools } from '../helpers/requires.js';
import { cramOf, writeFasta } from './cram-fixtures.js';

/** `oligotrack count --bam x.cram --reference x.fa` prints what the BAM twin prints. */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli/main.js');
const hasSamtools = requireTools('samtools');
const dir = mkdtempSync(join(tmpdir(), 'oligotrack-cram-cli-'));
const p = (name: string) => join(dir, name);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function count(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'count', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, OLIGOTRACK_QUIET: '' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!hasSamtools) return;
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  const c = randomCase(4242, { reads: 2000, refLength: 600 });
  const { bam, index } = encodeBamWithIndex({ refs: c.refs, text: '@RG\tID:a\tSM:PT09_C1D1\n' }, c.records, { level: 1 });
  writeFileSync(p('plasma.bam'), bam);
  writeFileSync(p('plasma.bam.bai'), index);
  writeFasta(p('ref.fa'), c.refSeq);
  cramOf(p('plasma.bam'), p('ref.fa'), p('plasma.cram'));
  const rows = c.sites.map((s) => `${s.chrom}\t${s.pos1}\t${s.ref}\t${s.alt}\tG${s.pos1}\tp.X${s.pos1}`);
  writeFileSync(p('sites.tsv'), ['chrom\tpos\tref\talt\tgene\tprotein', ...rows].join('\n') + '\n');
});

describe.skipIf(!hasSamtools)('count on a CRAM', () => {
  it('prints the same TSV as the BAM it was made from, and the same JSON rows', () => {
    const fromBam = count('--bam', 'plasma.bam', '--sites', 'sites.tsv');
    const fromCram = count('--bam', 'plasma.cram', '--reference', 'ref.fa', '--sites', 'sites.tsv');
    expect(fromBam.status, fromBam.stderr).toBe(0);
    expect(fromCram.status, fromCram.stderr).toBe(0);
    expect(fromCram.stdout).toBe(fromBam.stdout);
    expect(fromCram.stdout.split('\n').length).toBeGreaterThan(3);
    expect(fromCram.stderr).not.toMatch(/ignored/); // --reference is the CRAM's reference here, not an unused option
    const jsonRows = (r: ReturnType<typeof count>) => JSON.stringify(JSON.parse(r.stdout).rows);
    expect(jsonRows(count('--bam', 'plasma.cram', '--reference', 'ref.fa', '--sites', 'sites.tsv', '--format', 'json'))).toBe(
      jsonRows(count('--bam', 'plasma.bam', '--sites', 'sites.tsv', '--format', 'json')),
    );
  });

  it('without --reference: exit 1 and one line saying what to give', () => {
    const r = count('--bam', 'plasma.cram', '--sites', 'sites.tsv', '--out', 'never.tsv');
    expect(r.status).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /plasma\.cram: this CRAM stores reads as differences from a reference genome: give --reference genome\.fa .*M5:[0-9a-f]{32}/,
    );
    expect(existsSync(p('never.tsv'))).toBe(false);
  });
});
