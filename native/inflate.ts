// DEFLATE decoder (RFC 1951) for BGZF blocks, written for this module so that inflate and the
// record scan share one linear memory (no copy between them) and run at libdeflate-like speed.
//
// The design follows what makes the fastest decoders fast (libdeflate, zlib-ng's inffast):
//   - a 64-bit bit buffer refilled branch-free with one unaligned 8-byte load (bits above
//     `bitsleft` always hold the correct next input bits, so OR-ing a reloaded word is harmless);
//   - wide decode tables: an 11-bit main table for literal/lengths (8-bit for offsets) whose
//     entries carry the symbol's base value, its extra-bit count and the total bits to consume,
//     so a length or offset is one lookup, one shift and one mask; longer codes go through
//     subtables;
//   - up to three literals decoded per refill (3 x 15 bits < 56);
//   - match copies 16 bytes at a time (one 16-byte SIMD move, two 8-byte moves for offsets 8-15),
//     a byte broadcast for offset 1;
//   - a fast loop with no bounds checks that runs while at least 32 input bytes and 290 output
//     bytes remain, and a careful loop for the ends.
// Nothing here allocates: tables live in static data (memory.data).
//
// Safety against corrupt or hostile input (the fuzz tests check it): every table index is masked
// into a fully built table (unused entries decode as "invalid"); a match may not reach before the
// block's first output byte nor past the expected output size; input beyond the block reads as
// zero bits, and more than 8 such bytes is an error; every loop either writes output (bounded by
// the expected size) or consumes input bits (bounded by the input size plus 8 bytes).
//
// Caller's guarantees: 16 readable bytes after the input, and 32 writable bytes after
// `outPtr + outLen` (the fast match copy writes up to 15 bytes past a match's end).

export const INFLATE_OK: i32 = 0;
export const INFLATE_BAD_BLOCK_TYPE: i32 = 1;
export const INFLATE_BAD_STORED_LEN: i32 = 2;
export const INFLATE_BAD_HEADER: i32 = 3; // counts or code lengths of a dynamic block
export const INFLATE_BAD_CODE: i32 = 4; // over-subscribed or incomplete Huffman code
export const INFLATE_BAD_SYMBOL: i32 = 5; // an invalid literal/length or offset symbol
export const INFLATE_BAD_DISTANCE: i32 = 6; // a match before the start of the block's output
export const INFLATE_TOO_LONG: i32 = 7; // more output than expected
export const INFLATE_TRUNCATED: i32 = 8; // the data ends before the final block does
export const INFLATE_TOO_SHORT: i32 = 9; // the final block ends before the expected output

const LITLEN_BITS: i32 = 11;
const OFFSET_BITS: i32 = 8;
const PRECODE_BITS: i32 = 7;
const MAX_LEN: i32 = 15;

// Entry layout (u32), chosen so that WebAssembly's shift-count masking (mod 64) does the masking:
//   bits 0-5   bits to consume (codeword + extra bits), so `bitbuf >> entry` needs no mask
//   bits 8-13  codeword length (where the extra bits start), so `x >> (entry >> 8)` needs none
//   bit 14     subtable pointer (with bit 15)
//   bit 15     exceptional: subtable pointer, end of block (value 1) or invalid symbol (value 0)
//   bits 16-30 value: literal byte, length or offset base, subtable start
//   bit 30     a pair of literals (main litlen table only): bits 16-23 the first, 8-15 the second
//   bit 31     literal (so `<i32>entry < 0` tests it)
// `bitsleft` may then carry garbage above its low 6 bits (as in libdeflate): subtracting a whole
// entry and shifting by it only ever look at the low 6 bits.
const F_LITERAL: u32 = 1 << 31;
const F_PAIR: u32 = 1 << 30;
const F_EXCEPTIONAL: u32 = 1 << 15;
const F_SUBTABLE: u32 = 1 << 14;
const V_EOB: u32 = 1 << 16;

// Table sizes: the main table plus the largest possible set of subtables ("enough" in zlib's
// terms: 2342 entries for 288 symbols, 11 root bits, 15-bit codes; 402 for 32 symbols, 8 bits).
const LITLEN_ENOUGH: i32 = 2342;
const OFFSET_ENOUGH: i32 = 402;
const PRECODE_SIZE: i32 = 1 << PRECODE_BITS;

const litlenTable = memory.data(LITLEN_ENOUGH * 4, 16);
const offsetTable = memory.data(OFFSET_ENOUGH * 4, 16);
const fixedLitlen = memory.data(LITLEN_ENOUGH * 4, 16);
const fixedOffset = memory.data(OFFSET_ENOUGH * 4, 16);
const precodeTable = memory.data(PRECODE_SIZE * 4, 16);
// Code lengths of the current dynamic block (288 + 32 symbols, then 19 precode lengths).
const lens = memory.data(320 + 19, 16);
// Scratch for table building: counts and offsets per length, symbols sorted by length.
const counts = memory.data((MAX_LEN + 1) * 4, 16);
const offs = memory.data((MAX_LEN + 2) * 4, 16);
const sorted = memory.data(320 * 2, 16);

// Length and offset bases and extra bits (RFC 1951 §3.2.5). Lengths 286/287, offsets 30/31 are
// invalid (they appear only in fixed-code tables).
const LENGTH_BASE: StaticArray<u16> = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA: StaticArray<u8> = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const OFFSET_BASE: StaticArray<u16> = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const OFFSET_EXTRA: StaticArray<u8> = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
// Order in which precode lengths are stored (RFC 1951 §3.2.7).
const PRECODE_ORDER: StaticArray<u8> = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

const KIND_LITLEN: i32 = 0;
const KIND_OFFSET: i32 = 1;
const KIND_PRECODE: i32 = 2;

// What each symbol decodes to, without its codeword length: entry = result + len * 0x101 (the
// codeword length goes to bits 0-5, added to the extra-bit count there, and to bits 8-13).
const litlenResults = memory.data(288 * 4, 16);
const offsetResults = memory.data(32 * 4, 16);
const precodeResults = memory.data(19 * 4, 16);

function buildResults(): void {
  for (let s = 0; s < 256; s++) store<u32>(litlenResults + (<usize>s << 2), (<u32>s << 16) | F_LITERAL);
  store<u32>(litlenResults + 256 * 4, F_EXCEPTIONAL | V_EOB);
  for (let s = 257; s < 286; s++) {
    store<u32>(litlenResults + (<usize>s << 2), (<u32>unchecked(LENGTH_BASE[s - 257]) << 16) | <u32>unchecked(LENGTH_EXTRA[s - 257]));
  }
  for (let s = 286; s < 288; s++) store<u32>(litlenResults + (<usize>s << 2), F_EXCEPTIONAL); // invalid
  for (let s = 0; s < 30; s++) {
    store<u32>(offsetResults + (<usize>s << 2), (<u32>unchecked(OFFSET_BASE[s]) << 16) | <u32>unchecked(OFFSET_EXTRA[s]));
  }
  for (let s = 30; s < 32; s++) store<u32>(offsetResults + (<usize>s << 2), F_EXCEPTIONAL); // invalid
  for (let s = 0; s < 19; s++) store<u32>(precodeResults + (<usize>s << 2), <u32>s << 16);
}

/**
 * Builds the decode table of a canonical Huffman code (lengths at lensAt[0..n)) into `table`
 * (root bits `root`, at most `enough` entries), `results` giving each symbol's entry. Returns
 * false for an over-subscribed code, or an incomplete one other than a single 1-bit codeword
 * (zlib's rules; an all-zero offset code is allowed and decodes every symbol as invalid).
 *
 * Codewords are visited in canonical order as bit-reversed integers (DEFLATE sends codewords
 * most significant bit first into an LSB-first bit stream). Codes up to `root` bits fill a table
 * that doubles (memory.copy) each time the codeword length grows, so each codeword is written
 * once, whatever its length (libdeflate's method); longer codes get subtables.
 */
function buildTable(table: usize, lensAt: usize, n: i32, root: i32, enough: i32, results: usize, kind: i32): bool {
  memory.fill(counts, 0, (MAX_LEN + 1) * 4);
  for (let s = 0; s < n; s++) {
    const at = counts + (<usize>load<u8>(lensAt + <usize>s) << 2);
    store<i32>(at, load<i32>(at) + 1);
  }
  store<i32>(counts, 0); // length 0 = unused symbol
  // Codespace check, offsets of each length in the sorted order.
  let left = 1;
  let max = 0;
  store<i32>(offs + 4, 0);
  for (let len = 1; len <= MAX_LEN; len++) {
    const c = load<i32>(counts + (<usize>len << 2));
    left = (left << 1) - c;
    if (left < 0) return false; // over-subscribed
    if (c != 0) max = len;
    store<i32>(offs + (<usize>(len + 1) << 2), load<i32>(offs + (<usize>len << 2)) + c);
  }
  const invalid: u32 = F_EXCEPTIONAL | 1 | (1 << 8);
  if (max == 0) {
    if (kind != KIND_OFFSET) return false; // only an offset code may be empty (no matches)
    for (let i = 0; i < 1 << root; i++) store<u32>(table + (<usize>i << 2), invalid);
    return true;
  }
  for (let s = 0; s < n; s++) {
    const len = <i32>load<u8>(lensAt + <usize>s);
    if (len != 0) {
      const at = offs + (<usize>len << 2);
      const o = load<i32>(at);
      store<u16>(sorted + (<usize>o << 1), <u16>s);
      store<i32>(at, o + 1);
    }
  }
  if (left > 0) {
    // Incomplete: only one 1-bit codeword is allowed (zlib); it decodes where bit 0 is 0.
    if (kind == KIND_PRECODE || max != 1) return false;
    const e = load<u32>(results + (<usize>load<u16>(sorted) << 2)) + 0x101;
    for (let i = 0; i < 1 << root; i++) store<u32>(table + (<usize>i << 2), i & 1 ? invalid : e);
    return true;
  }
  let sym: usize = sorted;
  let codeword: u32 = 0;
  let len = 1;
  let count = load<i32>(counts + 4);
  while (count == 0) count = load<i32>(counts + (<usize>++len << 2));
  let tableEnd: u32 = 1 << len;
  while (len <= root) {
    do {
      store<u32>(table + (<usize>codeword << 2), load<u32>(results + (<usize>load<u16>(sym) << 2)) + <u32>len * 0x101);
      sym += 2;
      if (codeword == tableEnd - 1) {
        // The last codeword (all ones): the code is complete; double up to the full table.
        for (; len < root; len++) {
          memory.copy(table + (<usize>tableEnd << 2), table, <usize>tableEnd << 2);
          tableEnd <<= 1;
        }
        return true;
      }
      // Next codeword in canonical order, bit-reversed: clear the trailing run, set the bit.
      const bit: u32 = 1 << (31 - clz(codeword ^ (tableEnd - 1)));
      codeword = (codeword & (bit - 1)) | bit;
    } while (--count != 0);
    do {
      if (++len <= root) {
        memory.copy(table + (<usize>tableEnd << 2), table, <usize>tableEnd << 2);
        tableEnd <<= 1;
      }
      count = load<i32>(counts + (<usize>len << 2));
    } while (count == 0);
  }
  // Codewords longer than `root`: subtables, one per distinct low `root` bits.
  tableEnd = 1 << root;
  const rootMask: u32 = (1 << root) - 1;
  let prefix: u32 = 0xffffffff;
  let subStart: u32 = 0;
  for (;;) {
    if ((codeword & rootMask) != prefix) {
      prefix = codeword & rootMask;
      subStart = tableEnd;
      let subBits = len - root;
      let used = count;
      while (used < 1 << subBits) {
        subBits++;
        used = (used << 1) + load<i32>(counts + (<usize>(root + subBits) << 2));
      }
      tableEnd = subStart + (1 << subBits);
      if (tableEnd > <u32>enough) return false;
      store<u32>(table + (<usize>prefix << 2), (subStart << 16) | F_EXCEPTIONAL | F_SUBTABLE | (<u32>subBits << 8) | <u32>root);
    }
    const entry = load<u32>(results + (<usize>load<u16>(sym) << 2)) + <u32>(len - root) * 0x101;
    sym += 2;
    const stride: u32 = 1 << (len - root);
    for (let i = subStart + (codeword >> root); i < tableEnd; i += stride) store<u32>(table + (<usize>i << 2), entry);
    if (codeword == (1 << len) - 1) return true; // the last codeword
    const bit: u32 = 1 << (31 - clz(codeword ^ ((1 << len) - 1)));
    codeword = (codeword & (bit - 1)) | bit;
    count--;
    while (count == 0) count = load<i32>(counts + (<usize>++len << 2));
  }
  return true;
}

/**
 * Turns main-table literal entries into literal pairs wherever the next codeword, also a
 * literal, fits in the table's remaining bits: one lookup then writes two bytes (BAM's packed
 * bases and repeated names are literal-heavy; half the literal lookups go). Walks from the top
 * so that the entry it reads at i >> len1 (< i) is still a single.
 */
function makePairs(table: usize, root: i32): void {
  for (let i = (1 << root) - 1; i >= 0; i--) {
    const e1 = load<u32>(table + (<usize>i << 2));
    if ((e1 & F_LITERAL) == 0) continue;
    const len1 = e1 & 63;
    const e2 = load<u32>(table + (<usize>(i >> len1) << 2));
    if ((e2 & F_LITERAL) == 0 || (e2 & F_PAIR) != 0) continue;
    const len2 = e2 & 63;
    if (<i32>(len1 + len2) > root) continue;
    store<u32>(table + (<usize>i << 2), F_LITERAL | F_PAIR | (e1 & 0x00ff0000) | ((e2 >> 8) & 0xff00) | (len1 + len2));
  }
}

let fixedReady = false;

function buildFixed(): void {
  buildResults();
  for (let s = 0; s < 144; s++) store<u8>(lens + <usize>s, 8);
  for (let s = 144; s < 256; s++) store<u8>(lens + <usize>s, 9);
  for (let s = 256; s < 280; s++) store<u8>(lens + <usize>s, 7);
  for (let s = 280; s < 288; s++) store<u8>(lens + <usize>s, 8);
  buildTable(fixedLitlen, lens, 288, LITLEN_BITS, LITLEN_ENOUGH, litlenResults, KIND_LITLEN);
  makePairs(fixedLitlen, LITLEN_BITS);
  for (let s = 0; s < 32; s++) store<u8>(lens + <usize>s, 5);
  buildTable(fixedOffset, lens, 32, OFFSET_BITS, OFFSET_ENOUGH, offsetResults, KIND_OFFSET);
  fixedReady = true;
}

// Decoder state between the helpers (locals in the hot loop, written back here).
let inPos: usize = 0;
let inEnd: usize = 0;
let bitbuf: u64 = 0;
let bitsleft: u32 = 0;
let overread: u32 = 0;

/** Byte-wise refill to at least 57 bits; past the input's end, zero bytes (counted). */
@inline function refillSlow(): void {
  while (bitsleft <= 56) {
    if (inPos < inEnd) {
      bitbuf |= <u64>load<u8>(inPos) << bitsleft;
      inPos++;
    } else {
      overread++;
    }
    bitsleft += 8;
  }
}

@inline function consume(n: u32): void {
  bitbuf >>= n;
  bitsleft -= n;
}

/** Reads the code lengths of a dynamic block and builds its two tables. */
function readDynamicHeader(): i32 {
  refillSlow();
  const nlen = <i32>(bitbuf & 31) + 257;
  const ndist = <i32>((bitbuf >> 5) & 31) + 1;
  const nclen = <i32>((bitbuf >> 10) & 15) + 4;
  consume(14);
  if (nlen > 286 || ndist > 30) return INFLATE_BAD_HEADER;
  const pre = lens + 320;
  for (let i = 0; i < 19; i++) store<u8>(pre + <usize>i, 0);
  for (let i = 0; i < nclen; i++) {
    if (bitsleft < 3) refillSlow();
    store<u8>(pre + <usize>unchecked(PRECODE_ORDER[i]), <u8>(bitbuf & 7));
    consume(3);
  }
  if (!buildTable(precodeTable, pre, 19, PRECODE_BITS, PRECODE_SIZE, precodeResults, KIND_PRECODE)) return INFLATE_BAD_CODE;
  const total = nlen + ndist;
  let i = 0;
  while (i < total) {
    if (bitsleft < 14) refillSlow(); // a precode codeword (7) plus up to 7 repeat bits
    const entry = load<u32>(precodeTable + (<usize>(bitbuf & <u64>(PRECODE_SIZE - 1)) << 2));
    consume(entry & 63);
    const sym = <i32>(entry >> 16);
    if (sym < 16) {
      store<u8>(lens + <usize>i, <u8>sym);
      i++;
      continue;
    }
    let rep: i32;
    let value: u8 = 0;
    if (sym == 16) {
      if (i == 0) return INFLATE_BAD_HEADER; // nothing to repeat
      value = load<u8>(lens + <usize>(i - 1));
      rep = 3 + <i32>(bitbuf & 3);
      consume(2);
    } else if (sym == 17) {
      rep = 3 + <i32>(bitbuf & 7);
      consume(3);
    } else {
      rep = 11 + <i32>(bitbuf & 127);
      consume(7);
    }
    if (i + rep > total) return INFLATE_BAD_HEADER;
    for (let k = 0; k < rep; k++) store<u8>(lens + <usize>(i + k), value);
    i += rep;
  }
  if (load<u8>(lens + 256) == 0) return INFLATE_BAD_HEADER; // no end-of-block code
  // The offset lengths follow the litlen lengths: move them to their own 32-byte slot.
  memory.copy(lens + 288, lens + <usize>nlen, <usize>ndist);
  for (let s = nlen; s < 288; s++) store<u8>(lens + <usize>s, 0);
  for (let s = ndist; s < 32; s++) store<u8>(lens + 288 + <usize>s, 0);
  if (!buildTable(litlenTable, lens, nlen, LITLEN_BITS, LITLEN_ENOUGH, litlenResults, KIND_LITLEN)) return INFLATE_BAD_CODE;
  makePairs(litlenTable, LITLEN_BITS);
  if (!buildTable(offsetTable, lens + 288, ndist, OFFSET_BITS, OFFSET_ENOUGH, offsetResults, KIND_OFFSET)) return INFLATE_BAD_CODE;
  return INFLATE_OK;
}

/** Output written by the last inflate call (for the error message of a size mismatch). */
export let inflatedBytes: i32 = 0;

/**
 * Inflates the raw DEFLATE stream [inPtr, inPtr + inLen) into exactly outLen bytes at outPtr.
 * Returns INFLATE_OK or an error code; never reads or writes outside the areas documented at the
 * top of this file.
 */
export function inflate(inPtr: usize, inLen: i32, outPtr: usize, outLen: i32): i32 {
  if (!fixedReady) buildFixed();
  inPos = inPtr;
  inEnd = inPtr + <usize>inLen;
  bitbuf = 0;
  bitsleft = 0;
  overread = 0;
  const outEnd = outPtr + <usize>outLen;
  let out = outPtr;
  let final = false;
  let status = INFLATE_OK;
  while (!final) {
    refillSlow();
    final = (bitbuf & 1) != 0;
    const type = <i32>((bitbuf >> 1) & 3);
    consume(3);
    if (type == 0) {
      // Stored: skip to a byte boundary, LEN and NLEN, then LEN raw bytes.
      consume(bitsleft & 7);
      refillSlow();
      const len = <i32>(bitbuf & 0xffff);
      const nlen = <i32>((bitbuf >> 16) & 0xffff);
      consume(32);
      if (len != (~nlen & 0xffff)) { status = INFLATE_BAD_STORED_LEN; break; }
      // Give back the whole bytes still buffered: the raw bytes are read from the input itself.
      if (overread * 8 > bitsleft) { status = INFLATE_TRUNCATED; break; }
      inPos -= <usize>((bitsleft >> 3) - overread);
      bitbuf = 0;
      bitsleft = 0;
      overread = 0;
      if (<usize>len > inEnd - inPos) { status = INFLATE_TRUNCATED; break; }
      if (<usize>len > outEnd - out) { status = INFLATE_TOO_LONG; break; }
      memory.copy(out, inPos, <usize>len);
      out += <usize>len;
      inPos += <usize>len;
      continue;
    }
    if (type == 1) {
      // The fixed code's tables, copied over the dynamic ones: the decoder then reads tables at
      // constant addresses (two fewer live registers in its loop). Fixed blocks are rare in BAMs.
      memory.copy(litlenTable, fixedLitlen, LITLEN_ENOUGH * 4);
      memory.copy(offsetTable, fixedOffset, OFFSET_ENOUGH * 4);
    } else if (type == 2) {
      status = readDynamicHeader();
      if (status != INFLATE_OK) break;
    } else {
      status = INFLATE_BAD_BLOCK_TYPE;
      break;
    }
    const r = decodeSymbols(outPtr, out, outEnd);
    if (r < 0) { status = -r; break; }
    out = outPtr + <usize>r;
  }
  inflatedBytes = <i32>(out - outPtr);
  if (status != INFLATE_OK) return status;
  if (overread * 8 > bitsleft) return INFLATE_TRUNCATED; // consumed bits that do not exist
  if (out != outEnd) return INFLATE_TOO_SHORT;
  return INFLATE_OK;
}

/** Bits [cwlen, consume) of `saved`: the extra bits of a length or offset entry. */
@inline function extraBits(saved: u64, entry: u32): u32 {
  return <u32>((saved & ((<u64>1 << <u64>entry) - 1)) >> <u64>(entry >> 8));
}

/**
 * Decodes literal/length and offset symbols until the end-of-block symbol, with the tables at
 * litlenTable / offsetTable. Returns the new output length (out - outStart) or minus an error.
 */
function decodeSymbols(outStart: usize, outAt: usize, outEnd: usize): i32 {
  let out = outAt;
  let bb = bitbuf;
  let bl = bitsleft;
  let ip = inPos;
  const litMask: u32 = (1 << LITLEN_BITS) - 1;
  const offMask: u32 = (1 << OFFSET_BITS) - 1;
  // Fast loop bounds: each iteration reads at most 3 x 8 bytes and writes at most 258 + 15.
  const inFast: usize = inEnd >= <usize>32 ? inEnd - 32 : 0;
  const outFast: usize = outEnd >= <usize>290 ? outEnd - 290 : 0;
  if (overread == 0) {
    while (ip < inFast) {
      if (out >= outFast) break;
      // Refill to 56..63 bits (bl's low 6 bits are the count; see the entry layout).
      bb |= load<u64>(ip) << <u64>bl;
      ip += 7 - ((bl >> 3) & 7);
      bl |= 56;
      let entry = load<u32>(litlenTable + (<usize>(<u32>bb & litMask) << 2));
      if (<i32>entry < 0) {
        bb >>= <u64>entry;
        bl -= entry;
        store<u16>(out, <u16>(((entry >> 16) & 0xff) | (entry & 0xff00)));
        out += 1 + <usize>((entry >> 30) & 1);
        entry = load<u32>(litlenTable + (<usize>(<u32>bb & litMask) << 2));
        if (<i32>entry < 0) {
          bb >>= <u64>entry;
          bl -= entry;
          store<u16>(out, <u16>(((entry >> 16) & 0xff) | (entry & 0xff00)));
          out += 1 + <usize>((entry >> 30) & 1);
          entry = load<u32>(litlenTable + (<usize>(<u32>bb & litMask) << 2));
          if (<i32>entry < 0) {
            bb >>= <u64>entry;
            bl -= entry;
            store<u16>(out, <u16>(((entry >> 16) & 0xff) | (entry & 0xff00)));
            out += 1 + <usize>((entry >> 30) & 1);
            continue;
          }
        }
        // A length (or exceptional) follows: refill for length + offset (up to 48 bits).
        bb |= load<u64>(ip) << <u64>bl;
        ip += 7 - ((bl >> 3) & 7);
        bl |= 56;
      }
      if (entry & F_EXCEPTIONAL) {
        if (entry & F_SUBTABLE) {
          bb >>= <u64>entry;
          bl -= entry;
          entry = load<u32>(litlenTable + (<usize>((entry >> 16) + (<u32>bb & ((1 << ((entry >> 8) & 63)) - 1))) << 2));
          if (<i32>entry < 0) {
            bb >>= <u64>entry;
            bl -= entry;
            store<u8>(out, <u8>(entry >> 16));
            out++;
            continue;
          }
        }
        if (entry & F_EXCEPTIONAL) {
          bb >>= <u64>entry;
          bl -= entry;
          bitbuf = bb;
          bitsleft = bl & 63;
          inPos = ip;
          if (entry & V_EOB) return <i32>(out - outStart);
          return -INFLATE_BAD_SYMBOL;
        }
      }
      // Length: base + extra bits (taken from the bits above the codeword).
      let saved = bb;
      bb >>= <u64>entry;
      bl -= entry;
      const length = (entry >> 16) + extraBits(saved, entry);
      // Offset (at most 28 bits; at least 36 are left).
      entry = load<u32>(offsetTable + (<usize>(<u32>bb & offMask) << 2));
      if (entry & F_EXCEPTIONAL) {
        if (entry & F_SUBTABLE) {
          bb >>= <u64>entry;
          bl -= entry;
          entry = load<u32>(offsetTable + (<usize>((entry >> 16) + (<u32>bb & ((1 << ((entry >> 8) & 63)) - 1))) << 2));
        }
        if (entry & F_EXCEPTIONAL) {
          bitbuf = bb;
          bitsleft = bl & 63;
          inPos = ip;
          return -INFLATE_BAD_SYMBOL;
        }
      }
      saved = bb;
      bb >>= <u64>entry;
      bl -= entry;
      const offset = <usize>((entry >> 16) + extraBits(saved, entry));
      if (offset > out - outStart) {
        bitbuf = bb;
        bitsleft = bl & 63;
        inPos = ip;
        return -INFLATE_BAD_DISTANCE;
      }
      copyMatchFast(out, offset, <usize>length);
      out += <usize>length;
    }
  }
  bitbuf = bb;
  bitsleft = bl & 63;
  inPos = ip;
  // Careful loop: byte-wise refills and every bound checked.
  while (true) {
    refillSlow();
    if (overread > 8) return -INFLATE_TRUNCATED;
    let entry = load<u32>(litlenTable + (<usize>(<u32>bitbuf & litMask) << 2));
    if ((entry & F_SUBTABLE) != 0 && <i32>entry >= 0) {
      consume(entry & 63);
      entry = load<u32>(litlenTable + (<usize>((entry >> 16) + (<u32>bitbuf & ((1 << ((entry >> 8) & 63)) - 1))) << 2));
    }
    if (<i32>entry < 0) {
      consume(entry & 63);
      if (out >= outEnd) return -INFLATE_TOO_LONG;
      store<u8>(out, <u8>(entry >> 16));
      out++;
      if (entry & F_PAIR) {
        if (out >= outEnd) return -INFLATE_TOO_LONG;
        store<u8>(out, <u8>(entry >> 8));
        out++;
      }
      continue;
    }
    if (entry & F_EXCEPTIONAL) {
      consume(entry & 63);
      if (entry & V_EOB) return <i32>(out - outStart);
      return -INFLATE_BAD_SYMBOL;
    }
    let saved = bitbuf;
    consume(entry & 63);
    const length = <usize>((entry >> 16) + extraBits(saved, entry));
    entry = load<u32>(offsetTable + (<usize>(<u32>bitbuf & offMask) << 2));
    if (entry & F_SUBTABLE) {
      consume(entry & 63);
      entry = load<u32>(offsetTable + (<usize>((entry >> 16) + (<u32>bitbuf & ((1 << ((entry >> 8) & 63)) - 1))) << 2));
    }
    if (entry & F_EXCEPTIONAL) return -INFLATE_BAD_SYMBOL;
    saved = bitbuf;
    consume(entry & 63);
    const offset = <usize>((entry >> 16) + extraBits(saved, entry));
    if (offset > out - outStart) return -INFLATE_BAD_DISTANCE;
    if (length > outEnd - out) return -INFLATE_TOO_LONG;
    let src = out - offset;
    const end = out + length;
    while (out < end) {
      store<u8>(out, load<u8>(src));
      out++;
      src++;
    }
  }
  return -INFLATE_BAD_SYMBOL; // not reached: the loop only returns
}

/** Copies a match of `length` (3..258) bytes from `offset` back; may write 15 bytes past its end. */
@inline function copyMatchFast(dst: usize, offset: usize, length: usize): void {
  const end = dst + length;
  let src = dst - offset;
  if (offset >= 16) {
    // One 16-byte move per step: every byte it reads is already final (offset >= 16).
    do {
      v128.store(dst, v128.load(src));
      dst += 16;
      src += 16;
    } while (dst < end);
  } else if (offset >= 8) {
    // Each 8-byte move reads bytes already final (offset >= 8), even when the two overlap.
    do {
      store<u64>(dst, load<u64>(src));
      store<u64>(dst + 8, load<u64>(src + 8));
      dst += 16;
      src += 16;
    } while (dst < end);
  } else if (offset == 1) {
    const v = i8x16.splat(load<i8>(src));
    do {
      v128.store(dst, v);
      dst += 16;
    } while (dst < end);
  } else {
    do {
      store<u8>(dst, load<u8>(src));
      store<u8>(dst + 1, load<u8>(src + 1));
      dst += 2;
      src += 2;
    } while (dst < end);
  }
}
