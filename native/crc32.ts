// CRC-32 (the gzip/BGZF polynomial, reflected 0xEDB88320). WebAssembly has no carry-less
// multiply, so the PCLMULQDQ folding libdeflate uses natively is not available. Two methods:
//
// Slicing-by-8: eight 256-entry tables let one step take 8 input bytes with 8 independent
// lookups (~5.5 instructions per byte under V8).
//
// Sparse-multiple folding for long inputs (the idea of Chorba, Russell 2024, arXiv:2412.16398):
// with y = x^64, G(y) = y^203 + y^186 + y^123 + y^85 + y^79 + 1 is a multiple of the CRC
// polynomial P(x) (found by a search over 4-subsets of y^1..y^202; tests/count/crc32.test.ts
// checks it). Since G = 0 mod P, a message word at 64-bit position w has the same effect on the
// CRC as the XOR of itself placed at w + 203 - e for e in {0, 79, 85, 123, 186}, i.e. at
// w + 203, + 124, + 118, + 80 and + 17. Moving every word but the last 203 forward that way
// leaves a 1,624-byte tail with the same CRC, done by slicing-by-8. The move is five XORs into a
// scratch array per 8 bytes (~2.5 instructions per byte), and the input is not modified.

const tables = memory.data(8 * 256 * 4, 64);
// Folded contributions, one u64 per input word: BGZF blocks are at most 64 KiB.
const FOLD_MAX_BYTES: i32 = 65536;
const acc = memory.data(FOLD_MAX_BYTES + 64, 64);
const SPAN: i32 = 203; // words the fold reaches ahead
/** Below this size slicing-by-8 alone is as fast (the fold's tail is SPAN words anyway). */
const FOLD_MIN_BYTES: i32 = 4096;
let ready = false;

function build(): void {
  for (let i: u32 = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    store<u32>(tables + (<usize>i << 2), c);
  }
  for (let t = 1; t < 8; t++) {
    for (let i = 0; i < 256; i++) {
      const prev = load<u32>(tables + (<usize>((t - 1) * 256 + i) << 2));
      store<u32>(tables + (<usize>(t * 256 + i) << 2), (prev >>> 8) ^ load<u32>(tables + (<usize>(prev & 0xff) << 2)));
    }
  }
  ready = true;
}

@inline function T(t: i32, i: u32): u32 {
  return load<u32>(tables + (<usize>(t << 10) + (<usize>i << 2)));
}

/** CRC-32 of [p, p + n), continuing from `crc` (0 to start). */
export function crc32(p: usize, n: i32, crc: u32): u32 {
  if (!ready) build();
  if (n >= FOLD_MIN_BYTES && n <= FOLD_MAX_BYTES) return crc32Fold(p, n, crc);
  return ~slice8(p, p + <usize>n, ~crc);
}

/** Slicing-by-8 over [p, end) from register value c (no inversions). */
@inline function slice8(p: usize, end: usize, c: u32): u32 {
  while (p + 8 <= end) {
    const a = load<u32>(p) ^ c;
    const b = load<u32>(p + 4);
    c = T(7, a & 0xff) ^ T(6, (a >>> 8) & 0xff) ^ T(5, (a >>> 16) & 0xff) ^ T(4, a >>> 24) ^
        T(3, b & 0xff) ^ T(2, (b >>> 8) & 0xff) ^ T(1, (b >>> 16) & 0xff) ^ T(0, b >>> 24);
    p += 8;
  }
  while (p < end) {
    c = T(0, (c ^ <u32>load<u8>(p)) & 0xff) ^ (c >>> 8);
    p++;
  }
  return c;
}

/** XORs word value v (of the word whose contributions sit at `at`) into its five targets. */
@inline function moveWord(at: usize, v: u64): void {
  store<u64>(at, load<u64>(at, 17 * 8) ^ v, 17 * 8);
  store<u64>(at, load<u64>(at, 80 * 8) ^ v, 80 * 8);
  store<u64>(at, load<u64>(at, 118 * 8) ^ v, 118 * 8);
  store<u64>(at, load<u64>(at, 124 * 8) ^ v, 124 * 8);
  store<u64>(at, load<u64>(at, 203 * 8) ^ v, 203 * 8);
}

/** moveWord for two adjacent words at once. */
@inline function movePair(at: usize, v: v128): void {
  v128.store(at, v128.xor(v128.load(at, 17 * 8), v), 17 * 8);
  v128.store(at, v128.xor(v128.load(at, 80 * 8), v), 80 * 8);
  v128.store(at, v128.xor(v128.load(at, 118 * 8), v), 118 * 8);
  v128.store(at, v128.xor(v128.load(at, 124 * 8), v), 124 * 8);
  v128.store(at, v128.xor(v128.load(at, 203 * 8), v), 203 * 8);
}

/** The folding method (see the top of this file); n in [FOLD_MIN_BYTES, FOLD_MAX_BYTES]. */
export function crc32Fold(p: usize, n: i32, crc: u32): u32 {
  if (!ready) build();
  const words = n >> 3;
  const head = words - SPAN;
  memory.fill(acc, 0, <usize>words << 3);
  // The initial register is XORed into the first 32 message bits.
  store<u64>(acc, <u64>~crc);
  // Four words per iteration, two per 128-bit vector: the nearest target is 17 words ahead, so
  // the four are independent of one another.
  let w = 0;
  for (; w + 4 <= head; w += 4) {
    const at = acc + (<usize>w << 3);
    const q = p + (<usize>w << 3);
    movePair(at, v128.xor(v128.load(q), v128.load(at)));
    movePair(at + 16, v128.xor(v128.load(q, 16), v128.load(at, 16)));
  }
  for (; w < head; w++) {
    const at = acc + (<usize>w << 3);
    moveWord(at, load<u64>(p + (<usize>w << 3)) ^ load<u64>(at));
  }
  // The tail: the last SPAN words with what was moved into them, then the last n % 8 bytes.
  let c: u32 = 0;
  for (let w = head; w < words; w++) {
    const v = load<u64>(p + (<usize>w << 3)) ^ load<u64>(acc + (<usize>w << 3));
    const a = <u32>v ^ c;
    const b = <u32>(v >>> 32);
    c = T(7, a & 0xff) ^ T(6, (a >>> 8) & 0xff) ^ T(5, (a >>> 16) & 0xff) ^ T(4, a >>> 24) ^
        T(3, b & 0xff) ^ T(2, (b >>> 8) & 0xff) ^ T(1, (b >>> 16) & 0xff) ^ T(0, b >>> 24);
  }
  c = slice8(p + (<usize>words << 3), p + <usize>n, c);
  return ~c;
}

/** Slicing-by-8 alone (the reference for the folding method in tests). */
export function crc32Slice8(p: usize, n: i32, crc: u32): u32 {
  if (!ready) build();
  return ~slice8(p, p + <usize>n, ~crc);
}
