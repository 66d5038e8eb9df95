import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { countBam } from '../../src/count/count-bam.js';
import { DEFAULT_COUNT_SETTINGS, type Site } from '../../src/count/types.js';
import { BAM_HEADER_LIMITS, BamHeaderReader, parseBamHeader, readBamHeader } from '../../src/io/bam-header.js';
import { encodeBam, encodeBamHeader } from '../../src/io/bam-writer.js';
import { BGZF_BLOCK_DATA, bgzfBlock, bgzfCompress } from '../../src/io/bgzf-writer.js';
import { UserError } from '../../src/util/errors.js';
import { fuzzReads } from '../../src/bench/fuzz-targets.js';

/**
 * BAM header reading is linear in the header's size and checks its declared sizes before keeping
 * anything: NUL padding of 128 MiB, 150,000 contigs, an `l_text` of 2^31−1 on a small file, and
 * negative or over-limit counts each give the right header or one clean line. (How fast: measured
 * by `npm run fuzz` and docs/methods/robustness.md, never asserted here.)
 */

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-header-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const refs = [
  { name: 'chr1', length: 200_000 },
  { name: 'chr2', length: 150_000 },
];
const reads = fuzzReads(600);
const site: Site = { chrom: reads[0].rname, pos1: reads[0].pos1 + 5, ref: 'A', alt: 'C', gene: '', protein: '', id: '' };

/**
 * A BAM whose header text is followed by `pad` NUL bytes (l_text counts them). The padding is one
 * compressed block of zeros repeated: BGZF blocks need not be full, and compressing 128 MiB would
 * dominate the test.
 */
function paddedBam(pad: number): Buffer {
  const raw = gunzipSync(encodeBam({ refs, text: '@RG\tID:a\tSM:S1' }, reads, { level: 1 }));
  const lText = raw.readInt32LE(4);
  const head = Buffer.from(raw.subarray(0, 8 + lText));
  head.writeInt32LE(lText + pad, 4);
  const zeros = bgzfBlock(Buffer.alloc(BGZF_BLOCK_DATA), 1);
  const full = Math.floor(pad / BGZF_BLOCK_DATA);
  const rest = pad - full * BGZF_BLOCK_DATA;
  return Buffer.concat([
    bgzfBlock(head, 1),
    ...Array.from({ length: full }, () => zeros),
    ...(rest > 0 ? [bgzfBlock(Buffer.alloc(rest), 1)] : []),
    bgzfCompress(raw.subarray(8 + lText), 1),
  ]);
}

/** A binary header with its text (the writer's @HD and @SQ lines) replaced by `text` exactly. */
function withText(bytes: Buffer, text: string): Buffer {
  const lText = bytes.readInt32LE(4);
  const t = Buffer.from(text);
  const out = Buffer.concat([bytes.subarray(0, 4), Buffer.alloc(4), t, bytes.subarray(8 + lText)]);
  out.writeInt32LE(t.length, 4);
  return out;
}

async function failure(run: () => Promise<unknown>): Promise<UserError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('BAM header: hostile sizes', () => {
  it('128 MiB of NUL padding after the text: the header and the counts are those of the unpadded file', async () => {
    const padded = join(dir, 'padded.bam');
    const plain = join(dir, 'plain.bam');
    writeFileSync(padded, paddedBam(128 << 20));
    writeFileSync(plain, paddedBam(0));
    const header = await readBamHeader(padded);
    expect(header.refs).toEqual(refs);
    expect(header.text).toBe((await readBamHeader(plain)).text);
    const a = await countBam(padded, [site], DEFAULT_COUNT_SETTINGS);
    const b = await countBam(plain, [site], DEFAULT_COUNT_SETTINGS);
    expect(a.rows[0].depth).toBeGreaterThan(0);
    expect(a.rows).toEqual(b.rows);
  });

  it('150,000 contigs: every name and length', async () => {
    const many = Array.from({ length: 150_000 }, (_, i) => ({ name: i === 0 ? 'chr1' : `ctg${i}`, length: 1000 + (i % 977) }));
    const path = join(dir, 'contigs.bam');
    writeFileSync(path, bgzfCompress(encodeBamHeader({ refs: many, text: '' }), 1));
    const header = await readBamHeader(path);
    expect(header.refs).toHaveLength(150_000);
    expect(header.refs[149_999]).toEqual(many[149_999]);
  });

  it('l_text = 2^31-1 on a 1.6 MB file: truncated header, one line saying how much the file holds', async () => {
    const raw = gunzipSync(encodeBam({ refs, text: '' }, fuzzReads(20_000), { level: 1 }));
    raw.writeInt32LE(0x7fffffff, 4);
    const path = join(dir, 'ltext.bam');
    writeFileSync(path, bgzfCompress(raw, 6));
    const e = await failure(() => readBamHeader(path));
    expect(e.message).toBe(
      `${path}: truncated BAM: the file ends inside its header (its text declares 2147483647 bytes, the file holds ${raw.length - 8})`,
    );
  });

  it('negative and over-limit counts are clean errors naming what is wrong', () => {
    const good = encodeBamHeader({ refs, text: '' });
    const at = { lText: 4, nRef: 8 + good.readInt32LE(4) };
    const lName = at.nRef + 4;
    const cases: [number, number, RegExp][] = [
      [at.lText, -1, /negative header text length -1/],
      [at.nRef, -5, /negative reference count -5/],
      [at.nRef, BAM_HEADER_LIMITS.maxRefs + 1, /more than the limit/],
      [lName, 0, /reference 0 has name length 0/],
      [lName, BAM_HEADER_LIMITS.maxRefNameBytes + 1, /name length 1048577, more than the limit/],
    ];
    for (const [offset, value, message] of cases) {
      const bytes = Buffer.from(good);
      bytes.writeInt32LE(value, offset);
      expect(() => parseBamHeader(bytes, 'h.bam'), `${offset}=${value}`).toThrow(message);
    }
    const negativeLength = Buffer.from(good);
    negativeLength.writeInt32LE(-1, lName + 4 + 5);
    expect(() => parseBamHeader(negativeLength, 'h.bam')).toThrow(/reference 0 has negative length -1/);
  });

  it('a contig name without its NUL is repaired as htslib does; a repeated name is an error', () => {
    // No @SQ lines in the text: the binary list alone names the contigs.
    const bytes = withText(encodeBamHeader({ refs: [{ name: 'chr1', length: 10 }], text: '' }), '@CO\tx\n');
    const nameAt = 8 + bytes.readInt32LE(4) + 8;
    bytes[nameAt + 4] = 'X'.charCodeAt(0); // the NUL after "chr1"
    expect(parseBamHeader(bytes, 'h.bam')!.header.refs).toEqual([{ name: 'chr1X', length: 10 }]);
    const twice = withText(
      encodeBamHeader({
        refs: [
          { name: 'chr1', length: 10 },
          { name: 'chr1', length: 20 },
        ],
        text: '',
      }),
      '',
    );
    expect(() => parseBamHeader(twice, 'h.bam')).toThrow(/contig name appears twice \(references 0 and 1\)/);
  });

  it('text that samtools refuses or reads differently is refused: a line without @, @SQ lines that disagree with the reference list', () => {
    const refsOf = [{ name: 'chr1', length: 10 }];
    const header = (text: string) => withText(encodeBamHeader({ refs: refsOf, text: '' }), text);
    expect(parseBamHeader(header('@HD\tVN:1.6\n@SQ\tSN:chr1\tLN:10\n'), 'h.bam')!.header.refs).toEqual(refsOf);
    expect(parseBamHeader(header('@CO\tno @SQ lines at all\n'), 'h.bam')!.header.refs).toEqual(refsOf);
    expect(() => parseBamHeader(header('@HD\tVN:1.6\n\n@CO\tx\n'), 'h.bam')).toThrow(/header text line 2 does not start with '@'/);
    expect(() => parseBamHeader(header('@SQ\tSN:chr1\tLN:11\n'), 'h.bam')).toThrow(
      /disagree at reference 0 \(@SQ SN:chr1 LN:11; list: chr1 LN:10\)/,
    );
    expect(() => parseBamHeader(header('@SQ\tSN:chr2\tLN:10\n'), 'h.bam')).toThrow(/disagree at reference 0/);
    expect(() => parseBamHeader(header('@SQ\tSN:chr1\n'), 'h.bam')).toThrow(/an @SQ line of its text has no LN field/);
    expect(() => parseBamHeader(header('@SQ\tSN:chr1\tLN:10\n@SQ\tSN:chr2\tLN:5\n'), 'h.bam')).toThrow(
      /disagree at reference 1 \(@SQ SN:chr2 LN:5; list: no such reference\)/,
    );
  });

  it('a directory given as the BAM is one clean line', async () => {
    const e = await failure(() => readBamHeader(dir));
    expect(e.message).toBe(`${dir}: is a directory, not a BAM file`);
  });
});

describe('BAM header: incremental reading', () => {
  it('any split of the stream into pieces gives the same header and the same length (property)', () => {
    const header = {
      refs: Array.from({ length: 40 }, (_, i) => ({ name: `c${i}_${'x'.repeat(i)}`, length: i * 1000 + 1 })),
      text: '@CO\tsome text\n@CO\tmore',
    };
    const bytes = Buffer.concat([encodeBamHeader(header), Buffer.from('RECORDS')]);
    const whole = parseBamHeader(bytes, 'h.bam')!;
    expect(whole.length).toBe(bytes.length - 'RECORDS'.length);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 50 }), (sizes) => {
        const reader = new BamHeaderReader('h.bam');
        let at = 0;
        let used = -1;
        for (let k = 0; used < 0 && at < bytes.length; k++) {
          const piece = bytes.subarray(at, at + sizes[k % sizes.length]);
          used = reader.push(piece);
          at += used < 0 ? piece.length : used;
        }
        expect(reader.header).toEqual(whole.header);
        expect(at).toBe(whole.length);
        expect(reader.length).toBe(whole.length);
      }),
      { numRuns: 200, seed: 14 },
    );
  });
});
