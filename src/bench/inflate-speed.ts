import { readFileSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';
import { WasmKernel } from '../count/kernel.js';

/**
 * Inflate speed alone, for the benchmark: every BGZF block of a BAM inflated by node's zlib
 * (inflateRawSync with one output chunk per block) and by the WASM decoder, each followed by its
 * CRC32 (zlib.crc32 / the module's), as GB/s of inflated bytes. The blocks are read into memory
 * first: this measures the inflaters, not the disk. The best of `rounds` interleaved runs.
 * Usage: node dist/bench/inflate-speed.js BAM [rounds]   (prints one JSON line)
 */

const [bamPath, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 3);
const bam = readFileSync(bamPath);
const blocks: { data: Buffer; isize: number }[] = [];
for (let off = 0; off + 18 <= bam.length;) {
  const size = bam.readUInt16LE(off + 16) + 1;
  const xlen = bam.readUInt16LE(off + 10);
  blocks.push({ data: bam.subarray(off + 12 + xlen, off + size - 8), isize: bam.readUInt32LE(off + size - 4) });
  off += size;
}
const bytes = blocks.reduce((n, b) => n + b.isize, 0);

const x = new WasmKernel().exports;
const inAt = x.scratch(bam.length + 64);
const outAt = x.scratch(65536 + 64);
new Uint8Array(x.memory.buffer, inAt, bam.length).set(bam);
const offsets: number[] = [];
let at = 0;
for (const b of blocks) {
  offsets.push(inAt + (b.data.byteOffset - bam.byteOffset));
  at += b.data.length;
}
void at;

function zlibPass(): number {
  const t = process.hrtime.bigint();
  for (const b of blocks) crc32(inflateRawSync(b.data, { chunkSize: Math.max(64, b.isize) }));
  return Number(process.hrtime.bigint() - t) / 1e9;
}

function wasmPass(): number {
  const t = process.hrtime.bigint();
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (x.inflate(offsets[i], b.data.length, outAt, b.isize) !== 0) throw new Error(`block ${i} does not inflate`);
    x.crc32(outAt, b.isize, 0);
  }
  return Number(process.hrtime.bigint() - t) / 1e9;
}

let zlib = Number.POSITIVE_INFINITY;
let wasm = Number.POSITIVE_INFINITY;
wasmPass(); // let the module's code reach its optimising tier
for (let r = 0; r < rounds; r++) {
  zlib = Math.min(zlib, zlibPass());
  wasm = Math.min(wasm, wasmPass());
}
process.stdout.write(
  `${JSON.stringify({ bytes, zlibSeconds: zlib, wasmSeconds: wasm, zlibGBps: bytes / zlib / 1e9, wasmGBps: bytes / wasm / 1e9 })}\n`,
);
