import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countBam } from '../../src/count/count-bam.js';
import { DEFAULT_COUNT_SETTINGS, type Site } from '../../src/count/types.js';
import { encodeBam, encodeBamWithIndex } from '../../src/io/bam-writer.js';
import { truncateBgzfEof, truncateBgzfMidBlock } from '../helpers/bam-faults.js';
import type { SamRecord } from '../../src/io/sam-record.js';
import { UserError } from '../../src/util/errors.js';
import { requireTools } from '../helpers/requires.js';

/** Every kind of bad input is one UserError naming the file; an empty BAM is only a warning. */

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const refs = [
  { name: 'chr1', length: 100000 },
  { name: 'chr2', length: 100000 },
];
const site: Site = { chrom: 'chr1', pos1: 5000, ref: 'A', alt: 'C', gene: '', protein: '', id: '' };

function reads(n: number): SamRecord[] {
  const out: SamRecord[] = [];
  for (let i = 0; i < n; i++) {
    const pos1 = 1 + Math.floor((i * 97) % 90000);
    // Varied bases so that blocks do not compress to nothing: several blocks per file.
    let seq = '';
    for (let j = 0; j < 100; j++) seq += 'ACGT'[(i * 31 + j * 7 + ((i * j) % 5)) % 4];
    out.push({
      qname: `r${i}`,
      flag: 0,
      rname: 'chr1',
      pos1,
      mapq: 60,
      cigar: '100M',
      rnext: '*',
      pnext1: 0,
      tlen: 0,
      seq,
      qual: 'I'.repeat(100),
    });
  }
  return out;
}

async function failure(bam: string, sites: Site[] = [site], inflater: 'wasm' | 'zlib' = 'wasm'): Promise<UserError> {
  try {
    await countBam(bam, sites, DEFAULT_COUNT_SETTINGS, { inflater });
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error(`expected ${bam} to fail`);
}

const good = encodeBamWithIndex({ refs }, reads(3000), { level: 1 });

describe('bad BAM input', () => {
  it('missing EOF block', async () => {
    const p = join(dir, 'noeof.bam');
    writeFileSync(p, truncateBgzfEof(good.bam));
    const e = await failure(p);
    expect(e.message).toContain(p);
    expect(e.message).toMatch(/truncated.*end-of-file block is missing/);
    expect(e.exitCode).toBe(1);
  });

  it('cut in the middle of a block (sequential pass reaches the cut)', async () => {
    const p = join(dir, 'cut.bam');
    // Put an EOF block back after the cut so that only the cut-off block is wrong.
    const cut = truncateBgzfMidBlock(good.bam, 2);
    writeFileSync(p, Buffer.concat([cut, good.bam.subarray(good.bam.length - 28)]));
    const e = await failure(p, [{ ...site, pos1: 89000 }]);
    expect(e.message).toBe(`${p}: truncated BAM: BGZF block at byte ${blockStart(cut, 2)} is cut off at end of file`);
  });

  it('a block whose CRC32 does not match', async () => {
    const p = join(dir, 'crc.bam');
    // Flip the stored CRC32 of block 1 (the data stays intact, so only the check can notice).
    const bad = Buffer.from(good.bam);
    const crcAt = blockStart(bad, 2) - 8;
    bad.writeUInt32LE((bad.readUInt32LE(crcAt) ^ 0xffffffff) >>> 0, crcAt);
    writeFileSync(p, bad);
    const e = await failure(p, [{ ...site, pos1: 89000 }]);
    expect(e.message).toBe(`${p}: BGZF block at byte ${blockStart(good.bam, 1)} fails its CRC32 check (corrupt data)`);
  });

  it('corrupt deflate data, a wrong ISIZE, an ISIZE over 64 KiB: one line naming the block, with either inflater', async () => {
    const b1 = blockStart(good.bam, 1);
    const dataAt = b1 + 18;
    const cases: [string, (b: Buffer) => void, RegExp][] = [
      ['deflate', (b) => b.fill(0xff, dataAt, dataAt + 40), new RegExp(`BGZF block at byte ${b1} does not inflate \\(`)],
      [
        'isize-short',
        (b) => b.writeUInt32LE(b.readUInt32LE(blockStart(b, 2) - 4) - 10, blockStart(b, 2) - 4),
        new RegExp(`BGZF block at byte ${b1} inflates to`),
      ],
      [
        'isize-huge',
        (b) => b.writeUInt32LE(70000, blockStart(b, 2) - 4),
        new RegExp(`BGZF block at byte ${b1} claims 70000 inflated bytes, more than the 65536`),
      ],
    ];
    for (const [name, corrupt, expected] of cases) {
      const p = join(dir, `${name}.bam`);
      const bad = Buffer.from(good.bam);
      corrupt(bad);
      writeFileSync(p, bad);
      for (const inflater of ['wasm', 'zlib'] as const) {
        const e = await failure(p, [{ ...site, pos1: 89000 }], inflater);
        expect(e.message, `${name} (${inflater})`).toMatch(new RegExp(`^${p}: `));
        expect(e.message, `${name} (${inflater})`).toMatch(expected);
        expect(e.message).not.toContain('\n');
      }
    }
  });

  it('an index of another BAM (different number of references)', async () => {
    const p = join(dir, 'other-index.bam');
    writeFileSync(p, good.bam);
    const other = encodeBamWithIndex({ refs: [refs[0]] }, reads(10));
    writeFileSync(`${p}.bai`, other.index);
    const e = await failure(p);
    expect(e.message).toContain(`${p}.bai`);
    expect(e.message).toMatch(/does not belong to .*1 references, the BAM header 2/);
  });

  it('an index that points past the end of the BAM', async () => {
    const p = join(dir, 'short.bam');
    const small = encodeBamWithIndex({ refs }, reads(20));
    writeFileSync(p, small.bam);
    writeFileSync(`${p}.bai`, good.index); // same references, offsets of the large file
    const e = await failure(p, [{ ...site, pos1: 89000 }]);
    expect(e.message).toMatch(/does not belong to .*past the end|not the start of a BGZF block|corrupt BAM record/);
  });

  it('an unsorted BAM', async () => {
    const p = join(dir, 'unsorted.bam');
    const rs = reads(50);
    [rs[10], rs[30]] = [rs[30], rs[10]];
    writeFileSync(p, encodeBam({ refs }, rs, { sort: false }));
    const e = await failure(p, [{ ...site, pos1: 4000 }]);
    expect(e.message).toMatch(new RegExp(`^${p}: BAM is not sorted by coordinate: read r\\d+ at chr1:\\d+`));
  });

  it('an unreadable or missing path', async () => {
    const missing = join(dir, 'nope.bam');
    expect((await failure(missing)).message).toMatch(new RegExp(`^${missing}: cannot read BAM \\(ENOENT\\)`));
    if (process.getuid?.() !== 0) {
      const locked = join(dir, 'locked.bam');
      writeFileSync(locked, good.bam);
      chmodSync(locked, 0);
      expect((await failure(locked)).message).toMatch(/EACCES/);
    }
  });

  it('a site on a contig the BAM lacks', async () => {
    const p = join(dir, 'ok.bam');
    writeFileSync(p, good.bam);
    const e = await failure(p, [{ ...site, chrom: 'chr9' }]);
    expect(e.message).toBe(`${p}: has no contig chr9 (site chr9:5000)`);
  });

  it('not a BAM at all', async () => {
    const p = join(dir, 'text.bam');
    writeFileSync(p, 'chr1\t1\tA\n'.repeat(10));
    const e = await failure(p);
    expect(e.message).toMatch(new RegExp(`^${p}: not a BGZF block at byte 0`));
  });

  it('SAM text handed over as the BAM: the message says so', async () => {
    const p = join(dir, 'text.sam');
    writeFileSync(p, '@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:chr1\tLN:100000\nr1\t0\tchr1\t10\t60\t4M\t*\t0\t0\tACGT\tIIII\n');
    const e = await failure(p);
    expect(e.message).toMatch(new RegExp(`^${p}: not a BGZF block at byte 0 .*SAM text`));
  });

  it.skipIf(!requireTools('samtools'))('a CRAM written by samtools: the message says CRAM', async () => {
    const sam = join(dir, 'for-cram.sam');
    writeFileSync(sam, '@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:chr1\tLN:100000\nr1\t0\tchr1\t10\t60\t4M\t*\t0\t0\tACGT\tIIII\n');
    const p = join(dir, 'x.cram');
    execFileSync('samtools', ['view', '-C', '--output-fmt-option', 'no_ref=1', '-o', p, sam]);
    const e = await failure(p);
    expect(e.message).toMatch(new RegExp(`^${p}: not a BGZF block at byte 0 .*CRAM file`));
    expect(e.exitCode).toBe(1);
  });

  it('an empty BAM is not an error: depth 0 and a warning', async () => {
    const p = join(dir, 'empty.bam');
    const empty = encodeBamWithIndex({ refs }, []);
    writeFileSync(p, empty.bam);
    writeFileSync(`${p}.bai`, empty.index);
    const r = await countBam(p, [site], DEFAULT_COUNT_SETTINGS);
    expect(r.rows[0].depth).toBe(0);
    expect(r.warnings.join('\n')).toMatch(/no reads at any site/);
  });
});

function blockStart(bam: Buffer, index: number): number {
  let off = 0;
  for (let i = 0; i < index; i++) off += bam.readUInt16LE(off + 16) + 1;
  return off;
}
