import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fuzzBam, FUZZ_REFS } from '../../src/bench/fuzz-targets.js';
import { loadSiteSpec } from '../../src/app/sites.js';
import { detectBuild } from '../../src/count/genome-build.js';
import { parseCsv } from '../../src/io/csv.js';
import { readSamplesheet } from '../../src/io/samplesheet.js';
import { UserError, fileError } from '../../src/util/errors.js';
import { escapeControl } from '../../src/util/text-escape.js';
import { CLI, runCli } from '../store/cli-helpers.js';

/**
 * Messages are one line whatever they quote (newlines in a CSV field or a path come out as `\n`);
 * a named pipe is read as a stream; a UTF-8 byte-order mark does not change what a file is.
 */

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-messages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { bam, bai } = fuzzBam();
writeFileSync(join(dir, 's.bam'), bam);
writeFileSync(join(dir, 's.bam.bai'), bai);
const SITES = 'chrom\tpos\tref\talt\nchr1\t1000\tA\tC\nchr2\t5000\tG\tT\n';
writeFileSync(join(dir, 'sites.tsv'), SITES);

/** Runs the CLI with `input` written into the named pipe `fifo` by a second process. */
function withFifo(fifo: string, input: Buffer, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  execFileSync('mkfifo', [fifo]);
  // The writer: `cat` blocks until the reader opens the pipe, as a shell's process substitution does.
  writeFileSync(`${fifo}.src`, input);
  const writer = spawn('sh', ['-c', `cat "$0" > "$1"`, `${fifo}.src`, fifo], { stdio: 'ignore' });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: { ...process.env, OLIGOTRACK_QUIET: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => {
      writer.kill();
      resolve({ status, stdout, stderr });
    });
  });
}

describe('one line, whatever is quoted', () => {
  it('escapeControl writes control characters as escapes and leaves the rest', () => {
    expect(escapeControl('a\nb\r\tc\u0000d\u001b[31me\u007f\u2028é')).toBe('a\\nb\\r\\tc\\x00d\\x1b[31me\\x7f\\u2028é');
    expect(escapeControl(escapeControl('x\ny'))).toBe('x\\ny');
  });

  it('a UserError is one line even when its text is not', () => {
    expect(fileError('a\nb.csv', 'bad\nthing', 3).message).toBe('a\\nb.csv:3: bad\\nthing');
  });

  it('a quoted newline in a samplesheet ID: one line naming file, line and column', () => {
    const text = 'patient,sample,collection_date,bam\nP1,"S1\nevil",2025-01-10,a.bam\n';
    const path = join(dir, 'quoted.csv');
    writeFileSync(path, text);
    try {
      readSamplesheet(path, { checkFiles: false, today: 20_500 });
      throw new Error('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as Error).message).toBe(`${path}:2:4: column 'sample' must not contain spaces (got 'S1\\nevil')`);
    }
  });

  it('a NUL byte in a CSV (binary data, UTF-16 text) is named with its line and column', () => {
    expect(() => parseCsv('patient,sample\nP1,S\u00001\n', 'x.csv')).toThrow(
      'x.csv:2:5: a NUL byte: binary data or UTF-16 text, not a UTF-8 CSV (save it as CSV UTF-8)',
    );
  });

  it('a newline in a --bam path: exit 1, one stderr line', () => {
    const r = runCli(['count', '--bam', 'no\nsuch.bam', '--sites', 'sites.tsv'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('oligotrack count: error: no\\nsuch.bam: cannot read BAM (ENOENT)\n');
  });

  it('a newline in a samplesheet cell through track: exit 1, one stderr line', () => {
    writeFileSync(join(dir, 'sheet.csv'), 'patient,sample,collection_date,bam\n"P\n1",S1,2025-01-10,s.bam\n');
    const r = runCli(['track', '--samplesheet', 'sheet.csv', '--sites', 'sites.tsv', '--out-dir', 'trk'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/column 'patient' must not contain spaces \(got 'P\\n1'\)/);
  });
});

describe('named pipes are streams', () => {
  it('a BAM through a FIFO counts as the file does (not "truncated BAM")', async () => {
    const file = runCli(['count', '--bam', 's.bam', '--sites', 'sites.tsv', '--sample', 'S1'], dir);
    expect(file.status, file.stderr).toBe(0);
    const piped = await withFifo(join(dir, 'bam.fifo'), bam, ['count', '--bam', 'bam.fifo', '--sites', 'sites.tsv', '--sample', 'S1']);
    expect(piped.stderr).not.toMatch(/truncated/);
    expect(piped.status, piped.stderr).toBe(0);
    expect(piped.stdout).toBe(file.stdout);
  });

  it('sites through a FIFO (process substitution) are sniffed and read once', async () => {
    const file = runCli(['count', '--bam', 's.bam', '--sites', 'sites.tsv', '--sample', 'S1'], dir);
    const piped = await withFifo(join(dir, 'sites.fifo'), Buffer.from(SITES), [
      'count',
      '--bam',
      's.bam',
      '--sites',
      'sites.fifo',
      '--sample',
      'S1',
    ]);
    expect(piped.status, piped.stderr).toBe(0);
    expect(piped.stdout).toBe(file.stdout);
  });
});

describe('a UTF-8 byte-order mark', () => {
  const ctx = { bamBuild: detectBuild(FUZZ_REFS) };
  const VCF = '##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\nchr1\t1000\t.\tA\tC\n';

  it('a VCF starting with a BOM is a VCF, not a panel TSV', async () => {
    const plain = join(dir, 'plain.vcf');
    const bom = join(dir, 'bom.vcf');
    writeFileSync(plain, VCF);
    writeFileSync(bom, `\ufeff${VCF}`);
    const a = await loadSiteSpec(plain, ctx);
    const b = await loadSiteSpec(bom, ctx);
    expect(b.kind).toBe('vcf');
    expect(b.sites.map((s) => s.site)).toEqual(a.sites.map((s) => s.site));
  });

  it('a panel TSV and a samplesheet with a BOM read as without', async () => {
    writeFileSync(join(dir, 'bom.tsv'), `\ufeff${SITES}`);
    const tsv = await loadSiteSpec(join(dir, 'bom.tsv'), ctx);
    expect(tsv.sites.map((s) => s.site.pos1)).toEqual([1000, 5000]);
    writeFileSync(join(dir, 'bom.csv'), '\ufeffpatient,sample,collection_date,bam\nP1,S1,2025-01-10,s.bam\n');
    expect(readSamplesheet(join(dir, 'bom.csv'), { today: 20_500 }).map((r) => r.patient)).toEqual(['P1']);
    expect(readFileSync(join(dir, 'bom.csv'))[0]).toBe(0xef);
  });
});
