import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countBam } from '../../src/count/count-bam.js';
import { DEFAULT_COUNT_SETTINGS, type CountSettings, type Site } from '../../src/count/types.js';
import { encodeBamWithIndex } from '../../src/io/bam-writer.js';
import { UserError } from '../../src/util/errors.js';
import { requireTools } from '../helpers/requires.js';
import { joinBam, mutateCompressed, mutateStream, splitBam } from './bam-mutate.js';
import { expectedFromSamtools } from './pileup.js';
import { randomCase, rng } from './random-bam.js';

/**
 * BAM record fuzzing, in process: seeded mutations of small BAMs written by the project's own
 * writer, in the decompressed stream (re-compressed) and in the compressed layer, each counted by
 * the WASM kernel and by the plain-TS oracle. Every outcome is classified:
 *   success      — counts returned;
 *   clean error  — a UserError of one line that starts with the file's path (or its index's);
 *   failure      — anything else (another exception, a multi-line message, a message without the
 *                  file), or the two engines disagreeing.
 * No failure is allowed. OLIGOTRACK_FUZZ_CASES sets the number of cases (default 300; the long
 * run uses thousands).
 *
 * "Silent wrong count" (the CI-only part, needs samtools): a success where samtools rejects the
 * file (`samtools view` or `samtools mpileup` fails), or counts that differ from what samtools
 * mpileup shows where it accepts it (`--mates reads`, the rules of tests/count/pileup.ts).
 */

const CASES = Number(process.env.OLIGOTRACK_FUZZ_CASES ?? 300);
const dir = mkdtempSync(join(tmpdir(), 'oligotrack-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Base {
  refs: { name: string; length: number }[];
  bam: Buffer;
  /** BAI of the intact file: still right for compressed-layer mutations that move no block. */
  bai: Buffer;
  sites: Site[];
}

function bases(): Base[] {
  return [11, 12, 13, 14].map((seed) => {
    const c = randomCase(seed, { reads: 60, refLength: 300 });
    // Tags on a third of the reads: UMIs for --umi and aux fields for the mutations to hit.
    c.records.forEach((rec, k) => {
      if (k % 3 === 0) rec.tags = { RX: 'ACGTAC'.slice(0, 3 + (k % 4)), NM: k % 5, XS: -k * 1000 };
    });
    // Sites every 9 bases of c1 on top of the generator's own: most mutated reads cover one.
    for (let p = 5; p < 290; p += 9)
      c.sites.push({
        chrom: 'c1',
        pos1: p,
        ref: c.refSeq.c1[p - 1],
        alt: c.refSeq.c1[p - 1] === 'A' ? 'C' : 'A',
        gene: '',
        protein: '',
        id: `f${p}`,
      });
    const { bam, index } = encodeBamWithIndex({ refs: c.refs }, c.records, { level: 1 });
    return { refs: c.refs, bam, bai: index, sites: c.sites };
  });
}

type Outcome = { kind: 'success'; value: unknown } | { kind: 'error'; message: string } | { kind: 'failure'; message: string };

/**
 * For comparing the engines: the kernel's inflater and node's zlib name different reasons for one
 * corrupt deflate stream (and the kernel stops at ISIZE where zlib inflates everything); the
 * block and the verdict must agree, not the wording.
 */
function comparableOutcome(o: Outcome): Outcome {
  if (o.kind !== 'error') return o;
  const message = o.message
    .replace(/ does not inflate \(.*\)$/, ' does not inflate (…)')
    .replace(/ inflates to .* ISIZE says.*$/, ' inflates to a size other than its ISIZE');
  return { kind: 'error', message };
}

async function outcome(path: string, sites: Site[], settings: CountSettings, engine: 'wasm' | 'oracle'): Promise<Outcome> {
  try {
    const r = await countBam(path, sites, settings, { engine, observations: true });
    return {
      kind: 'success',
      value: { rows: r.rows, readsSeen: r.readsSeen, readsPassing: r.readsPassing, observations: r.observations, warnings: r.warnings },
    };
  } catch (e) {
    const message = (e as Error)?.message ?? String(e);
    const names = message.startsWith(`${path}: `) || message.startsWith(`${path}.bai: `);
    if (e instanceof UserError && !message.includes('\n') && names) return { kind: 'error', message };
    return { kind: 'failure', message: `${(e as Error)?.name}: ${message}` };
  }
}

interface FuzzCase {
  seed: number;
  path: string;
  what: string;
  base: Base;
  settings: CountSettings;
  wasm: Outcome;
}

async function runCase(seed: number, all: Base[]): Promise<FuzzCase & { oracle: Outcome }> {
  const r = rng(7000 + seed);
  const base = all[seed % all.length];
  const path = join(dir, `m${seed}.bam`);
  rmSync(`${path}.bai`, { force: true });
  let what: string;
  if (r() < 0.6) {
    const m = mutateStream(r, splitBam(base.bam), base.refs.length);
    writeFileSync(path, joinBam(m.parts));
    what = `stream: ${m.what}`;
  } else {
    const m = mutateCompressed(r, base.bam);
    writeFileSync(path, m.bam);
    what = `compressed: ${m.what}`;
    // Half of these are read through the intact file's index (chunks, early stop, index checks).
    if (r() < 0.5) {
      writeFileSync(`${path}.bai`, base.bai);
      what += ' (indexed)';
    }
  }
  const settings: CountSettings = { ...DEFAULT_COUNT_SETTINGS, mates: seed % 2 ? 'reads' : 'fragment', umi: seed % 5 === 0 };
  const wasm = await outcome(path, base.sites, settings, 'wasm');
  const oracle = await outcome(path, base.sites, settings, 'oracle');
  return { seed, path, what, base, settings, wasm, oracle };
}

describe('BAM record fuzzing (WASM kernel and oracle)', () => {
  const all = bases();

  it(`${CASES} seeded mutations: success or one clean line, never a failure; both engines agree`, async () => {
    const tally = { success: 0, error: 0, failure: 0 };
    const failures: string[] = [];
    for (let seed = 1; seed <= CASES; seed++) {
      const c = await runCase(seed, all);
      tally[c.wasm.kind]++;
      if (c.wasm.kind === 'failure' || c.oracle.kind === 'failure')
        failures.push(`seed ${seed} (${c.what}): wasm ${JSON.stringify(c.wasm)} oracle ${JSON.stringify(c.oracle)}`);
      else expect(comparableOutcome(c.wasm), `seed ${seed} (${c.what}): WASM and oracle outcomes`).toEqual(comparableOutcome(c.oracle));
    }
    console.log(`record fuzz: ${CASES} cases: ${tally.success} success, ${tally.error} clean errors, ${tally.failure} failures`);
    expect(failures).toEqual([]);
    // The mutations must reach both outcomes, or the test proves little.
    expect(tally.error).toBeGreaterThan(CASES / 4);
    expect(tally.success).toBeGreaterThan(CASES / 20);
  }, 300_000);

  const hasSamtools = requireTools('samtools');
  it.skipIf(!hasSamtools)(
    'no silent wrong count: every success is a file samtools accepts, with samtools counts',
    async () => {
      const sample = Math.min(CASES, Number(process.env.OLIGOTRACK_FUZZ_SAMTOOLS_CASES ?? 150));
      let compared = 0;
      let unread = 0;
      const wrong: string[] = [];
      const intactPaths = all.map((b, i) => {
        const p = join(dir, `intact${i}.bam`);
        writeFileSync(p, b.bam);
        return p;
      });
      const counts = async (path: string, c: FuzzCase): Promise<string> => {
        const r = await countBam(path, c.base.sites, c.settings, { observations: true });
        return JSON.stringify([r.rows, r.readsSeen, r.readsPassing, r.observations]);
      };
      const sameAsIntact = async (c: FuzzCase): Promise<boolean> =>
        (await counts(c.path, c)) === (await counts(intactPaths[all.indexOf(c.base)], c));
      for (let seed = 1; seed <= sample; seed++) {
        const c = await runCase(seed, all);
        if (c.wasm.kind !== 'success') continue;
        let accepted = true;
        try {
          execFileSync('samtools', ['view', '-o', '/dev/null', c.path], { stdio: 'ignore' });
        } catch {
          accepted = false;
        }
        if (!accepted) {
          // Corruption in bytes the scan never reads (after the last site) cannot change a count:
          // that is silent only if the counts differ from the intact file's.
          if (!(await sameAsIntact(c)))
            wrong.push(`seed ${seed} (${c.what}): samtools view rejects the file, and the counts differ from the intact file's`);
          else unread++;
          continue;
        }
        const refIds = new Map(c.base.refs.map((x, i) => [x.name, i]));
        let expected;
        try {
          expected = expectedFromSamtools(c.path, c.base.sites, refIds, c.settings.minBaseq, join(dir, `m${seed}.pos`));
        } catch {
          if (!(await sameAsIntact(c)))
            wrong.push(`seed ${seed} (${c.what}): samtools mpileup rejects the file, and the counts differ from the intact file's`);
          else unread++;
          continue;
        }
        const reads = await countBam(c.path, c.base.sites, { ...c.settings, mates: 'reads', umi: false });
        expected.forEach((e, i) => {
          const row = reads.rows[i];
          const got = {
            depth: row.depth,
            ref: row.refCount,
            alt: row.altCount,
            other: row.otherCount,
            deletions: row.deletions,
            insertions: row.insertions,
            altFwd: row.altFwd,
            altRev: row.altRev,
          };
          if (JSON.stringify(got) !== JSON.stringify(e))
            wrong.push(
              `seed ${seed} (${c.what}): site ${c.base.sites[i].chrom}:${c.base.sites[i].pos1} ${JSON.stringify(got)} vs samtools ${JSON.stringify(e)}`,
            );
        });
        compared++;
      }
      console.log(
        `record fuzz vs samtools: ${compared} accepted mutants compared with samtools; ${unread} rejected by samtools in bytes the count never reads (counts equal the intact file's)`,
      );
      expect(wrong).toEqual([]);
      expect(compared).toBeGreaterThan(5);
    },
    300_000,
  );
});
