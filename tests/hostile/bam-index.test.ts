import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { BGZF_BLOCK_DATA, BGZF_EOF, bgzfBlock } from '../../src/io/bgzf-writer.js';
import { afterAll, describe, expect, it } from 'vitest';
import { fuzzBam, FUZZ_REFS } from '../../src/bench/fuzz-targets.js';
import { chunksForRange, INDEX_LIMITS, parseBamIndex, readBamIndex } from '../../src/io/bam-index.js';
import { UserError } from '../../src/util/errors.js';
import { runCli } from '../store/cli-helpers.js';

/**
 * BAI and CSI readers check every count and size against the bytes that remain before allocating
 * or looping: the CSI depth of 2^31−1 that grew a 1.9 GB bin list, a negative l_aux that sent a
 * DataView out of range, negative and oversized counts, repeated bins, an index that inflates
 * without bound — each one line naming the index.
 */

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { bam, bai, csi } = fuzzBam();
const csiRaw = gunzipSync(csi);

function errorOf(bytes: Uint8Array, name = 'x.csi'): string {
  try {
    parseBamIndex(bytes, name);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    const message = (e as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message.startsWith(`${name}: `)).toBe(true);
    return message;
  }
  throw new Error('expected the index to be refused');
}

function withInt32(bytes: Uint8Array, offset: number, value: number): Buffer {
  const out = Buffer.from(bytes);
  out.writeInt32LE(value, offset);
  return out;
}

describe('CSI header fields', () => {
  it('depth 2^31-1 (V8 aborted on a 1.9 GB bin list) is refused at once', () => {
    expect(errorOf(withInt32(csiRaw, 8, 0x7fffffff))).toBe('x.csi: corrupt index: CSI depth 2147483647 is outside 0-10');
  });

  it('negative l_aux (a DataView range error) is refused', () => {
    expect(errorOf(withInt32(csiRaw, 12, -5))).toBe('x.csi: corrupt index: negative CSI l_aux -5');
  });

  it('min_shift out of range, and l_aux past the end', () => {
    expect(errorOf(withInt32(csiRaw, 4, -1))).toMatch(/CSI min_shift -1 with depth/);
    expect(errorOf(withInt32(csiRaw, 4, 60))).toMatch(/CSI min_shift 60 with depth/);
    expect(errorOf(withInt32(csiRaw, 12, 0x7fffffff))).toMatch(/truncated or corrupt index/);
  });

  it('depth 10 (the deepest whose bins fit 32 bits) reads and answers queries', () => {
    // Bins of depth 10 with min_shift 0: an index with one bin at the deepest level of chr1.
    const body = Buffer.alloc(4 + 4 + (4 + 8 + 4 + 16));
    body.writeInt32LE(1, 0); // n_ref
    body.writeInt32LE(1, 4); // n_bin
    const deepest = (8 ** 10 - 1) / 7 + 5; // position 5 at min_shift 0
    body.writeUInt32LE(deepest, 8);
    body.writeBigUInt64LE(0n, 12); // loffset
    body.writeInt32LE(1, 20); // n_chunk
    body.writeBigUInt64LE(100n << 16n, 24);
    body.writeBigUInt64LE(200n << 16n, 32);
    const head = Buffer.alloc(16);
    head.write('CSI\x01', 0, 'latin1');
    head.writeInt32LE(0, 4);
    head.writeInt32LE(10, 8);
    head.writeInt32LE(0, 12);
    const index = parseBamIndex(Buffer.concat([head, body]), 'deep.csi');
    expect(chunksForRange(index, 0, 5, 6)).toEqual([{ beg: 100 * 65536, end: 200 * 65536 }]);
    expect(chunksForRange(index, 0, 6, 7)).toEqual([]);
    // A position beyond what 2^(0 + 30) bp cover would name another level's bins: refused.
    expect(() => chunksForRange(index, 0, 2 ** 30, 2 ** 30 + 1)).toThrow(/beyond the 1073741824 bp/);
  });
});

describe('counts inside the index', () => {
  it('negative and oversized reference, bin, chunk and interval counts are refused before any loop', () => {
    const nRefAt = 4;
    expect(errorOf(withInt32(bai, nRefAt, -1), 'x.bai')).toBe('x.bai: corrupt index: negative reference count -1 at byte 4');
    expect(errorOf(withInt32(bai, nRefAt, 0x7fffffff), 'x.bai')).toMatch(/truncated or corrupt index/);
    expect(errorOf(withInt32(bai, 8, -3), 'x.bai')).toMatch(/negative bin count of reference 0 -3/);
    expect(errorOf(withInt32(bai, 8, 0x7fffffff), 'x.bai')).toMatch(/truncated or corrupt index/);
    // The first bin's n_chunk: after n_ref (4), n_bin (4), bin (4).
    expect(errorOf(withInt32(bai, 16, -1), 'x.bai')).toMatch(/negative chunk count of bin \d+ of reference 0 -1/);
    expect(errorOf(withInt32(bai, 16, 1 << 28), 'x.bai')).toMatch(/truncated or corrupt index/);
  });

  it('a bin listed twice is refused (htslib does the same)', () => {
    // Reference 0's first two bins: make the second carry the first's number.
    const out = Buffer.from(bai);
    const nChunk0 = out.readInt32LE(16);
    const secondBinAt = 20 + nChunk0 * 16;
    out.writeUInt32LE(out.readUInt32LE(12), secondBinAt);
    expect(errorOf(out, 'x.bai')).toMatch(/bin \d+ of reference 0 appears twice/);
  });

  it('a compressed index that inflates past the limit is refused without inflating it', () => {
    const path = join(dir, 'bomb.bam.csi');
    // 8,300 BGZF blocks of 65,280 zeros: 0.8 MB on disk, 542 MB inflated.
    const zeros = bgzfBlock(Buffer.alloc(BGZF_BLOCK_DATA), 1);
    writeFileSync(path, Buffer.concat([...Array.from({ length: 8300 }, () => zeros), BGZF_EOF]));
    expect(() => readBamIndex(path)).toThrow(
      `corrupt index: inflates to more than ${INDEX_LIMITS.maxBytes} bytes (limit; its BGZF blocks declare ${8300 * BGZF_BLOCK_DATA})`,
    );
  });

  it('every truncation of a valid BAI and CSI is a clean error or a valid index', () => {
    for (const [bytes, name] of [
      [bai, 'x.bai'],
      [csiRaw, 'x.csi'],
    ] as const) {
      for (let cut = 0; cut < bytes.length; cut += 7) {
        try {
          const index = parseBamIndex(bytes.subarray(0, cut), name);
          expect(index.refs.length).toBeLessThanOrEqual(FUZZ_REFS.length);
        } catch (e) {
          expect(e, `cut at ${cut}`).toBeInstanceOf(UserError);
        }
      }
    }
  });
});

describe('through the CLI', () => {
  const sample = join(dir, 'cli');
  mkdirSync(sample, { recursive: true });
  writeFileSync(join(sample, 's.bam'), bam);
  writeFileSync(join(sample, 'sites.tsv'), `chrom\tpos\tref\talt\nchr1\t1000\tA\tC\n`);

  it('a .csi with depth 2^31-1 and one with a negative l_aux: exit 1, one line, no output file', () => {
    for (const [offset, value, message] of [
      [8, 0x7fffffff, /CSI depth 2147483647/],
      [12, -5, /negative CSI l_aux -5/],
    ] as const) {
      writeFileSync(join(sample, 's.bam.csi'), gzipSync(withInt32(csiRaw, offset, value)));
      const r = runCli(['count', '--bam', 's.bam', '--sites', 'sites.tsv', '--out', 'out.tsv'], sample);
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(existsSync(join(sample, 'out.tsv'))).toBe(false);
    }
  });

  it('a directory as --bam: exit 1, one line', () => {
    const r = runCli(['count', '--bam', dir, '--sites', join(sample, 'sites.tsv')], sample);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(`oligotrack count: error: ${dir}: is a directory, not a BAM file`);
  });
});
