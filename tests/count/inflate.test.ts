import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WasmKernel } from '../../src/count/kernel.js';
import { encodeBam } from '../../src/io/bam-writer.js';
import { HTSLIB_TEST_DIR, requireHtslibTest } from '../helpers/requires.js';
import { randomRecords, testRng } from '../io/random-records.js';

/**
 * The module's DEFLATE decoder and CRC-32 against node's zlib, the reference: every BGZF block of
 * the htslib-test BAMs and of random BAMs inflates to the same bytes; streams from every zlib
 * level and strategy (stored, fixed and dynamic Huffman blocks; runs, text, incompressible data)
 * too; the folding CRC equals slicing-by-8 and zlib's crc32 at every length that matters.
 */

const kernel = new WasmKernel();
const x = kernel.exports;
const AREA = 1 << 20;
// Input and output areas (with the decoder's documented slack after each).
const inAt = x.scratch(AREA + 64);
const outAt = x.scratch(AREA + 64);

/** Copies `input` into module memory and inflates it to exactly `outLen` bytes. */
function wasmInflate(input: Uint8Array, outLen: number): { code: number; out: Buffer } {
  new Uint8Array(x.memory.buffer, inAt, input.length).set(input);
  const code = x.inflate(inAt, input.length, outAt, outLen);
  return { code, out: Buffer.from(new Uint8Array(x.memory.buffer, outAt, outLen)) };
}

function bgzfBlocks(bam: Buffer): { data: Buffer; isize: number; crc: number }[] {
  const out: { data: Buffer; isize: number; crc: number }[] = [];
  let off = 0;
  while (off + 18 <= bam.length) {
    const size = bam.readUInt16LE(off + 16) + 1;
    const xlen = bam.readUInt16LE(off + 10);
    out.push({
      data: bam.subarray(off + 12 + xlen, off + size - 8),
      crc: bam.readUInt32LE(off + size - 8),
      isize: bam.readUInt32LE(off + size - 4),
    });
    off += size;
  }
  return out;
}

function checkBlocks(bam: Buffer, what: string): number {
  let n = 0;
  for (const b of bgzfBlocks(bam)) {
    const ref = inflateRawSync(b.data);
    const got = wasmInflate(b.data, b.isize);
    expect(got.code, `${what} block ${n}`).toBe(0);
    expect(got.out.equals(ref), `${what} block ${n} bytes`).toBe(true);
    new Uint8Array(x.memory.buffer, outAt, ref.length).set(ref);
    expect(x.crc32(outAt, ref.length, 0) >>> 0, `${what} block ${n} CRC32`).toBe(b.crc);
    n++;
  }
  return n;
}

describe('the WASM inflater equals node:zlib', () => {
  it.skipIf(!requireHtslibTest())('every block of the htslib-test BAMs', () => {
    const bams = readdirSync(HTSLIB_TEST_DIR).filter((f) => f.endsWith('.bam'));
    expect(bams.length).toBeGreaterThan(2);
    let blocks = 0;
    for (const f of bams) blocks += checkBlocks(readFileSync(join(HTSLIB_TEST_DIR, f)), f);
    expect(blocks).toBeGreaterThan(bams.length);
  });

  it('every block of random BAMs, zlib levels 0-9', () => {
    const header = {
      refs: [
        { name: 'c1', length: 200000 },
        { name: 'c2', length: 200000 },
        { name: 'c3', length: 10000 },
      ],
    };
    let blocks = 0;
    for (let level = 0; level <= 9; level++) {
      const recs = randomRecords(testRng(100 + level), header, 600, { unplaced: 5 });
      blocks += checkBlocks(encodeBam(header, recs, { level }), `level ${level}`);
    }
    expect(blocks).toBeGreaterThan(30);
  });

  it('raw deflate streams of every shape: stored, fixed, dynamic, runs, text, incompressible', () => {
    const r = testRng(7);
    const inputs: Buffer[] = [Buffer.alloc(0), Buffer.from('a'), Buffer.alloc(65536, 0x41)];
    inputs.push(Buffer.from(Array.from({ length: 65536 }, () => Math.floor(r() * 256)))); // incompressible
    inputs.push(Buffer.from('The quick brown fox jumps over the lazy dog. '.repeat(1400)));
    inputs.push(Buffer.from(Array.from({ length: 60000 }, (_, i) => (i % 7 === 0 ? Math.floor(r() * 4) : i % 3)))); // short offsets
    inputs.push(Buffer.from(Array.from({ length: 65536 }, () => 'ACGT'.charCodeAt(Math.floor(r() * 4)))));
    let n = 0;
    for (const input of inputs) {
      for (const level of [0, 1, 5, 9]) {
        for (const strategy of [
          constants.Z_DEFAULT_STRATEGY,
          constants.Z_FIXED,
          constants.Z_HUFFMAN_ONLY,
          constants.Z_RLE,
          constants.Z_FILTERED,
        ]) {
          const stream = deflateRawSync(input, { level, strategy });
          const got = wasmInflate(stream, input.length);
          expect(got.code, `input ${inputs.indexOf(input)} level ${level} strategy ${strategy}`).toBe(0);
          expect(got.out.equals(input)).toBe(true);
          n++;
        }
      }
    }
    expect(n).toBe(inputs.length * 20);
  });

  it('the output size must match exactly (ISIZE): longer or shorter data is an error', () => {
    const input = Buffer.from('hello hello hello hello');
    const stream = deflateRawSync(input);
    expect(wasmInflate(stream, input.length).code).toBe(0);
    expect(wasmInflate(stream, input.length - 1).code).not.toBe(0);
    expect(wasmInflate(stream, input.length + 1).code).not.toBe(0);
    expect(wasmInflate(stream.subarray(0, stream.length - 1), input.length).code).not.toBe(0);
  });
});

describe('CRC-32: folding, slicing-by-8 and zlib agree', () => {
  it('on lengths 0 to 70,000 (every length near the fold threshold and the block size)', () => {
    const r = testRng(3);
    const data = Buffer.from(Array.from({ length: 70000 }, () => Math.floor(r() * 256)));
    const at = inAt;
    new Uint8Array(x.memory.buffer, at, data.length).set(data);
    const lengths = new Set<number>();
    for (let n = 0; n < 300; n++) lengths.add(n);
    for (let n = 4000; n < 4200; n++) lengths.add(n);
    for (let n = 65400; n <= 65536; n++) lengths.add(n);
    for (let k = 0; k < 200; k++) lengths.add(Math.floor(r() * 70000));
    for (const n of lengths) {
      const ref = crc32(data.subarray(0, n));
      expect(x.crc32(at, n, 0) >>> 0, `length ${n}`).toBe(ref);
      expect(x.crc32Slice8(at, n, 0) >>> 0, `length ${n} slicing`).toBe(ref);
    }
    // Continuing from a previous CRC, as zlib's second argument.
    expect(x.crc32(at + 10, 5000, crc32(data.subarray(0, 10))) >>> 0).toBe(crc32(data.subarray(0, 5010)));
  });
});
