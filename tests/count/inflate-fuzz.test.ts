import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { WasmKernel } from '../../src/count/kernel.js';
import { encodeBam } from '../../src/io/bam-writer.js';
import { randomRecords, testRng } from '../io/random-records.js';
import { inflateAll } from './bam-mutate.js';

/**
 * Fuzzing the module's DEFLATE decoder with corrupt and hostile streams (seeded, a fixed number
 * of cases, so its run time is bounded by the cases and the decoder's own loop bounds): flipped
 * bits, overwritten and inserted bytes, truncations, random bytes, extreme dynamic-block headers,
 * wrong expected sizes. Every call must return (a WebAssembly trap would throw here), write only
 * inside its output area plus the documented 32-byte slack (canaries on both sides), and never
 * claim success with bytes other than zlib's when zlib accepts the same stream.
 * OLIGOTRACK_INFLATE_FUZZ_CASES sets the number of cases (default 20,000).
 */

const CASES = Number(process.env.OLIGOTRACK_INFLATE_FUZZ_CASES ?? 20000);
const kernel = new WasmKernel();
const x = kernel.exports;
const AREA = 1 << 17;
const CANARY = 256;
const inAt = x.scratch(AREA + 64);
const region = x.scratch(CANARY + AREA + CANARY);
const outAt = region + CANARY;

function seeds(): Buffer[] {
  const r = testRng(41);
  const header = {
    refs: [
      { name: 'c1', length: 100000 },
      { name: 'c2', length: 100000 },
      { name: 'c3', length: 1000 },
    ],
  };
  const bam = inflateAll(encodeBam(header, randomRecords(r, header, 300), { level: 6 }));
  const text = Buffer.from('ctDNA oligoprogression liquid biopsy '.repeat(500));
  const random = Buffer.from(Array.from({ length: 3000 }, () => Math.floor(r() * 256)));
  return [bam.subarray(0, 60000), bam.subarray(1000, 9000), text, random, Buffer.alloc(20000, 7), Buffer.from('x')].flatMap((d) =>
    [0, 1, 6, 9].map((level) => deflateRawSync(d, { level })),
  );
}

function mutate(r: () => number, s: Buffer): Buffer {
  const int = (n: number) => Math.floor(r() * n);
  const b = Buffer.from(s);
  switch (int(7)) {
    case 0: {
      const n = 1 + int(8);
      for (let k = 0; k < n && b.length > 0; k++) b[int(b.length)] ^= 1 << int(8);
      return b;
    }
    case 1:
      if (b.length > 0) b[int(b.length)] = int(256);
      return b;
    case 2:
      return b.subarray(0, int(b.length + 1));
    case 3: {
      const at = int(b.length + 1);
      return Buffer.concat([b.subarray(0, at), Buffer.from(Array.from({ length: 1 + int(16) }, () => int(256))), b.subarray(at)]);
    }
    case 4:
      return Buffer.from(Array.from({ length: int(400) }, () => int(256)));
    case 5: {
      // A dynamic block header with extreme counts: HLIT, HDIST, HCLEN at their limits.
      const h = Buffer.from(Array.from({ length: 64 }, () => int(256)));
      h[0] = (h[0] & 0xf8) | 0x04 | (r() < 0.5 ? 1 : 0); // BTYPE 10, BFINAL random
      h[0] |= 0xf8; // HLIT = 31 (288 codes, over the 286 limit) in most cases
      return h;
    }
    default: {
      // Bytes of one stream spliced into another (valid prefixes, wrong continuations).
      const at = int(b.length + 1);
      return Buffer.concat([b.subarray(0, at), s.subarray(int(s.length + 1))]);
    }
  }
}

describe('DEFLATE decoder fuzzing', () => {
  it(`${CASES} corrupt streams: the decoder always returns, writes only its output area, agrees with zlib`, () => {
    const r = testRng(2026);
    const base = seeds();
    const outcomes = new Map<number, number>();
    // Streams zlib rejects but this decoder completes (zlib also checks what follows the final
    // block, which a BGZF block's CRC32 and ISIZE cover here).
    const acceptedRejected: number[] = [];
    const mem = () => new Uint8Array(x.memory.buffer);
    for (let c = 0; c < CASES; c++) {
      const s = mutate(r, base[c % base.length]);
      const input = s.length > AREA ? s.subarray(0, AREA) : s;
      let expected: Buffer | null;
      try {
        expected = inflateRawSync(input);
      } catch {
        expected = null;
      }
      const outLen = expected && r() < 0.7 ? expected.length : Math.floor(r() * 65537);
      if (outLen > AREA - 64) continue;
      mem().set(input, inAt);
      mem().fill(0xa5, region, region + CANARY);
      mem().fill(0x5a, outAt + outLen + 32, outAt + outLen + 32 + CANARY);
      const code = x.inflate(inAt, input.length, outAt, outLen);
      outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
      const m = mem();
      expect(
        m.subarray(region, region + CANARY).every((v) => v === 0xa5),
        `case ${c}: wrote before its output`,
      ).toBe(true);
      expect(
        m.subarray(outAt + outLen + 32, outAt + outLen + 32 + CANARY).every((v) => v === 0x5a),
        `case ${c}: wrote past its output`,
      ).toBe(true);
      if (code === 0 && expected !== null && expected.length === outLen) {
        expect(Buffer.from(m.subarray(outAt, outAt + outLen)).equals(expected), `case ${c}: success with other bytes than zlib`).toBe(true);
      }
      if (code === 0 && expected === null) acceptedRejected.push(c);
    }
    const summary = [...outcomes]
      .sort((a, b) => a[0] - b[0])
      .map(([k, v]) => `${k}:${v}`)
      .join(' ');
    console.log(`inflate fuzz: ${CASES} cases, outcome codes ${summary}; accepted where zlib fails: ${acceptedRejected.length}`);
    expect(acceptedRejected, 'streams zlib rejects but this decoder accepts').toEqual([]);
    // Both verdicts are reached, and most kinds of error.
    expect(outcomes.get(0) ?? 0).toBeGreaterThan(CASES / 50);
    expect(outcomes.size).toBeGreaterThan(5);
  });
});
