import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BamHeaderReader } from '../io/bam-header.js';
import { bgzfCompress } from '../io/bgzf-writer.js';
import { pathIdProblem } from '../util/safe-path.js';
import { mutate, Rng } from './fuzz-mutate.js';
import {
  CLI_FAILURES,
  classifyProcess,
  depthsOf,
  hasSamtools,
  leftovers,
  listFiles,
  run,
  samtoolsCounts,
  type CliOutcome,
} from './fuzz-cli-process.js';
import { FUZZ_REFS, fuzzBam, fuzzReads } from './fuzz-targets.js';

export { CLI_FAILURES, type CliOutcome };

/**
 * The CLI part of the fuzz run: the real `oligotrack` process on a small sample, one input
 * mutated per case — its .bai, its .csi, its BAM header (re-BGZF'd, no index), its sites VCF — and
 * hostile sample names through `count --sample` and `store ingest` + `store export --out-dir`.
 * What only a process shows is classified here: exit codes, stack traces, "internal error",
 * crashes (signals), hangs, partial output files, files written outside the output directory,
 * and counts that differ from the intact sample's where samtools, given the same file, agrees
 * with the intact counts (a silent wrong count) or rejects the file while oligotrack exits 0.
 */

export type CliKind = 'index-bai' | 'index-csi' | 'bam-header' | 'sites-vcf' | 'sample-name';
export const CLI_KINDS: readonly CliKind[] = ['index-bai', 'index-csi', 'bam-header', 'sites-vcf', 'sample-name'];

export interface CliRecord {
  kind: CliKind;
  caseSeed: number;
  steps: string[];
  outcome: CliOutcome;
  detail: string;
  /** The mutated input (failures only). */
  bytes?: Uint8Array;
}

/** Sites where the fuzz BAM has reads: the first base of every 400th read (both contigs). */
function fuzzSites(): { chrom: string; pos1: number }[] {
  const reads = fuzzReads(3000);
  const out: { chrom: string; pos1: number }[] = [];
  for (let i = 0; i < reads.length && out.length < 6; i += 400) out.push({ chrom: reads[i].rname, pos1: reads[i].pos1 + 10 });
  return out;
}

interface Sandbox {
  root: string;
  bam: Buffer;
  bai: Buffer;
  csi: Buffer;
  sitesTsv: string;
  vcf: Buffer;
  sites: { chrom: string; pos1: number }[];
  /** Depth per site of the intact sample, by `chrom:pos`. */
  intact: Map<string, number>;
  /** samtools' read count per site of the intact sample (null without samtools). */
  samtoolsIntact: number[] | null;
  headerLength: number;
  inflated: Buffer;
}

export function makeSandbox(root: string): Sandbox {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const { bam, bai, csi } = fuzzBam();
  const sites = fuzzSites();
  const sitesTsv = ['chrom\tpos\tref\talt', ...sites.map((s) => `${s.chrom}\t${s.pos1}\tA\tC`), ''].join('\n');
  const vcf = Buffer.from(
    [
      '##fileformat=VCFv4.2',
      ...FUZZ_REFS.map((r) => `##contig=<ID=${r.name},length=${r.length}>`),
      '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO',
      ...sites.map((s, i) => `${s.chrom}\t${s.pos1}\tv${i}\tA\tC\t.\tPASS\t.`),
      '',
    ].join('\n'),
  );
  writeFileSync(join(root, 'intact.bam'), bam);
  writeFileSync(join(root, 'intact.bam.bai'), bai);
  writeFileSync(join(root, 'sites.tsv'), sitesTsv);
  const r = run(['count', '--bam', 'intact.bam', '--sites', 'sites.tsv', '--format', 'json', '--sample', 'S1'], root, 120_000);
  const intact = r.status === 0 ? depthsOf(r.stdout) : null;
  if (!intact) throw new Error(`the intact fuzz sample does not count: ${r.stderr}`);
  writeFileSync(join(root, 'intact.count.json'), r.stdout);
  const inflated = gunzipSync(bam);
  const reader = new BamHeaderReader('intact.bam');
  reader.push(inflated);
  return {
    root,
    bam,
    bai,
    csi,
    sitesTsv,
    vcf,
    sites,
    intact,
    samtoolsIntact: hasSamtools() ? samtoolsCounts(join(root, 'intact.bam'), join(root, 'intact.bam.bai'), sites) : null,
    headerLength: reader.length,
    inflated,
  };
}

/** One count case: the sample with one input replaced by `files`; counts compared with the intact ones. */
function countCase(
  sb: Sandbox,
  caseDir: string,
  files: Record<string, Uint8Array | string>,
  args: string[],
  samtools: { bam: string; index: string | null } | null,
): { outcome: CliOutcome; detail: string } {
  rmSync(caseDir, { recursive: true, force: true });
  mkdirSync(join(caseDir, 'out'), { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(caseDir, name), bytes);
  const outFile = join(caseDir, 'out', 'counts.json');
  const r = run(['count', ...args, '--format', 'json', '--sample', 'S1', '--out', outFile], caseDir, 60_000);
  const verdict = classifyProcess(r, outFile);
  const tmp = leftovers(join(caseDir, 'out'));
  if (tmp.length > 0)
    return {
      outcome: 'partial',
      detail: `temporary files left: ${tmp.join(', ')}`,
    };
  if (verdict) return verdict;
  if (!existsSync(outFile)) return { outcome: 'wrong', detail: 'exit 0 without the output file' };
  const depths = depthsOf(readFileSync(outFile, 'utf8'));
  if (!depths)
    return {
      outcome: 'wrong',
      detail: 'exit 0 with an output that is not JSON',
    };
  if (!samtools) return { outcome: 'success', detail: '' };
  const same = sb.sites.every((s) => depths.get(`${s.chrom}:${s.pos1}`) === sb.intact.get(`${s.chrom}:${s.pos1}`));
  if (sb.samtoolsIntact === null)
    return same
      ? { outcome: 'success', detail: '' }
      : {
          outcome: 'wrong',
          detail: 'counts differ from the intact sample (no samtools to arbitrate)',
        };
  const theirs = samtoolsCounts(join(caseDir, samtools.bam), samtools.index ? join(caseDir, samtools.index) : null, sb.sites);
  if (theirs === null)
    return {
      outcome: 'wrong',
      detail: `exit 0 where samtools rejects the file${same ? ' (counts equal to the intact sample)' : ''}`,
    };
  if (same) return { outcome: 'success', detail: '' };
  const samtoolsSame = theirs.every((n, i) => n === sb.samtoolsIntact![i]);
  return samtoolsSame
    ? {
        outcome: 'wrong',
        detail: `counts differ from the intact sample; samtools with the same file agrees with the intact sample`,
      }
    : {
        outcome: 'as-samtools',
        detail: "counts differ from the intact sample, and so do samtools'",
      };
}

const HOSTILE_NAMES = [
  '../../../../tmp/pwned',
  '../escape',
  '..',
  '.',
  '/ABS/pwned',
  'a/../../b',
  'S1\n',
  'S1\0x',
  '.hidden',
  'S 1',
  'S1/..',
  '\x1b[31mS1',
  'S1\r',
  '-S1',
  'index',
  'S1;rm -rf x',
  'x'.repeat(256),
];

function sampleNameCase(sb: Sandbox, caseDir: string, rng: Rng): { outcome: CliOutcome; detail: string; name: string } {
  let name = HOSTILE_NAMES[rng.int(HOSTILE_NAMES.length)];
  if (rng.int(3) === 0) name = Buffer.from(mutate(Buffer.from('S1'), rng, 'text').bytes).toString('utf8');
  rmSync(caseDir, { recursive: true, force: true });
  const exp = join(caseDir, 'w', 'x', 'y', 'exp');
  mkdirSync(exp, { recursive: true });
  mkdirSync(join(caseDir, 'ABS'), { recursive: true });
  name = name.replace('/ABS', join(caseDir, 'ABS'));
  const valid = pathIdProblem(name) === null;
  // 1. count --sample: an invalid name is a usage error (exit 2), a valid one counts. (An argument
  //    cannot hold a NUL byte: such names only reach the store through a document.)
  // A NUL cannot be passed in an argument, nor can more than 128 KiB (Linux MAX_ARG_STRLEN).
  if (!name.includes('\0') && Buffer.byteLength(name) < 100_000) {
    const c = run(
      [
        'count',
        '--bam',
        join(sb.root, 'intact.bam'),
        '--sites',
        join(sb.root, 'sites.tsv'),
        '--format',
        'json',
        '--sample',
        name,
        '--out',
        join(caseDir, 'count.json'),
      ],
      caseDir,
      60_000,
    );
    const cv = classifyProcess(c, join(caseDir, 'count.json'));
    if (cv && cv.outcome !== 'clean') return { ...cv, name };
    if (valid !== (c.status === 0)) return { outcome: 'wrong', detail: `count --sample ${JSON.stringify(name)} exited ${c.status}`, name };
    if (!valid && c.status !== 2)
      return { outcome: 'messy', detail: `count --sample ${JSON.stringify(name)} exited ${c.status}, not 2 (usage)`, name };
  }
  // 2. A hand-made count document with that name, ingested and exported; a symlink planted in the
  //    export directory under the name's file must not be written through.
  const doc = JSON.parse(readFileSync(join(sb.root, 'intact.count.json'), 'utf8')) as {
    sample: string;
    bam: string;
    rows: { sample: string }[];
  };
  doc.sample = name;
  doc.bam = join(sb.root, 'intact.bam');
  for (const row of doc.rows) row.sample = name;
  writeFileSync(join(caseDir, 'doc.json'), JSON.stringify(doc));
  writeFileSync(join(caseDir, 'outside.json'), 'ORIGINAL');
  const planted = valid && rng.int(2) === 0;
  if (planted) symlinkSync(join(caseDir, 'outside.json'), join(exp, `${name}.count.json`));
  const before = new Set(listFiles(caseDir));
  const store = join(caseDir, 'store.sqlite');
  const ingest = run(['store', 'ingest', '--store', store, join(caseDir, 'doc.json')], caseDir, 60_000);
  const iv = classifyProcess(ingest, null);
  if (iv && iv.outcome !== 'clean') return { ...iv, name };
  if (ingest.status === 0) {
    const ex = run(['store', 'export', '--store', store, '--format', 'json', '--out-dir', exp], caseDir, 60_000);
    const ev = classifyProcess(ex, null);
    if (ev && ev.outcome !== 'clean') return { ...ev, name };
    if (valid && !planted && ex.status !== 0)
      return { outcome: 'wrong', detail: `export of a valid name failed: ${ex.stderr.trim()}`, name };
    if (planted && ex.status === 0)
      return { outcome: 'wrong', detail: 'export replaced a symlink to a file outside the export directory instead of refusing', name };
    if (!valid && ex.status === 0) return { outcome: 'wrong', detail: 'export of an invalid name succeeded', name };
  }
  const escaped = listFiles(caseDir).filter((f) => !before.has(f) && !f.startsWith(`w/x/y/exp/`) && !f.startsWith('store.sqlite'));
  if (escaped.length > 0) return { outcome: 'security', detail: `written outside the export directory: ${escaped.join(', ')}`, name };
  if (readFileSync(join(caseDir, 'outside.json'), 'utf8') !== 'ORIGINAL')
    return { outcome: 'security', detail: 'written through a symlink to a file outside the export directory', name };
  return { outcome: valid ? 'success' : 'clean', detail: '', name };
}

export interface CliRunOptions {
  seed: number;
  cases: number;
  dir: string;
  onCase?: (record: CliRecord) => void;
}

export function runCliFuzz(opts: CliRunOptions): CliRecord[] {
  const sb = makeSandbox(join(opts.dir, 'sample'));
  const records: CliRecord[] = [];
  for (let i = 0; i < opts.cases; i++) {
    const kind = CLI_KINDS[i % CLI_KINDS.length];
    const caseSeed = (Math.imul(opts.seed ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0;
    const rng = new Rng(caseSeed);
    const caseDir = join(opts.dir, 'case');
    let record: CliRecord;
    if (kind === 'sample-name') {
      const r = sampleNameCase(sb, caseDir, rng);
      const shown = JSON.stringify(r.name);
      const steps = [shown.length > 120 ? `${shown.slice(0, 100)}… (${r.name.length} characters)` : shown];
      record = { kind, caseSeed, steps, outcome: r.outcome, detail: r.detail, bytes: Buffer.from(r.name) };
    } else {
      let files: Record<string, Uint8Array | string>;
      let args: string[];
      let samtools: { bam: string; index: string | null };
      let mutant: { bytes: Uint8Array; steps: string[] };
      if (kind === 'index-bai') {
        mutant = mutate(sb.bai, rng, 'binary');
        files = {
          's.bam': sb.bam,
          's.bam.bai': mutant.bytes,
          'sites.tsv': sb.sitesTsv,
        };
        args = ['--bam', 's.bam', '--sites', 'sites.tsv'];
        samtools = { bam: 's.bam', index: 's.bam.bai' };
      } else if (kind === 'index-csi') {
        const inner = mutate(gunzipSync(sb.csi), rng, 'binary');
        mutant = { bytes: bgzfCompress(inner.bytes, 1), steps: inner.steps };
        files = {
          's.bam': sb.bam,
          's.bam.csi': mutant.bytes,
          'sites.tsv': sb.sitesTsv,
        };
        args = ['--bam', 's.bam', '--sites', 'sites.tsv'];
        samtools = { bam: 's.bam', index: 's.bam.csi' };
      } else if (kind === 'bam-header') {
        // Mutations confined to the header's bytes (the record checks are the engine's fuzz).
        const head = mutate(sb.inflated.subarray(0, sb.headerLength), rng, 'binary');
        mutant = {
          bytes: bgzfCompress(Buffer.concat([head.bytes, sb.inflated.subarray(sb.headerLength)]), 1),
          steps: head.steps,
        };
        files = { 's.bam': mutant.bytes, 'sites.tsv': sb.sitesTsv };
        args = ['--bam', 's.bam', '--sites', 'sites.tsv'];
        samtools = { bam: 's.bam', index: null };
      } else {
        mutant = mutate(sb.vcf, rng, 'text');
        files = {
          's.bam': sb.bam,
          's.bam.bai': sb.bai,
          'sites.vcf': mutant.bytes,
        };
        args = ['--bam', 's.bam', '--sites', 'sites.vcf'];
        samtools = { bam: 's.bam', index: 's.bam.bai' };
      }
      const verdict = countCase(sb, caseDir, files, args, kind === 'sites-vcf' ? null : samtools);
      record = {
        kind,
        caseSeed,
        steps: mutant.steps,
        outcome: verdict.outcome,
        detail: verdict.detail,
        bytes: CLI_FAILURES.includes(verdict.outcome) ? mutant.bytes : undefined,
      };
    }
    records.push(record);
    opts.onCase?.(record);
  }
  return records;
}
