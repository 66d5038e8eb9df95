import { Rng } from '../simulate/rng.js';

/**
 * Seeded mutations for the robustness fuzzer: the same seed gives the same mutant on every
 * machine (xoshiro128** of simulate/rng.ts). Binary mutations aim at length and count fields
 * (32-bit little-endian integers set to boundary values: 0, −1, 2^31−1, −2^31 …), text mutations
 * at what breaks line- and field-based readers (newlines inside fields, NUL, quotes, a byte-order
 * mark, terminal escapes, separators, traversal strings, huge and negative numbers).
 */

export { Rng };

const INTERESTING_INT32 = [
  0,
  1,
  -1,
  2,
  7,
  8,
  16,
  255,
  256,
  0x7fff,
  0x8000,
  0xffff,
  0x10000,
  0x7fffffff,
  -0x80000000,
  -2,
  0x40000000,
  1 << 24,
  0x1000000 + 1,
];
const INTERESTING_BYTES = [0, 1, 0x7f, 0x80, 0xff, 0x0a, 0x0d, 0x09, 0x22, 0x2c];

function clone(input: Uint8Array): Buffer {
  return Buffer.from(input);
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(items.length)];
}

/** An offset into `len` bytes, aligned to 4 three times in four (BAM/BAI fields are 4-byte aligned from their start). */
function offsetIn(rng: Rng, len: number, width = 1): number {
  if (len <= width) return 0;
  const at = rng.int(len - width + 1);
  return rng.int(4) < 3 ? at - (at % 4) : at;
}

export type Mutator = (input: Uint8Array, rng: Rng, others: readonly Uint8Array[]) => Uint8Array;

export const BINARY_MUTATORS: Readonly<Record<string, Mutator>> = {
  flipBit(input, rng) {
    if (input.length === 0) return input;
    const out = clone(input);
    const at = rng.int(out.length);
    out[at] ^= 1 << rng.int(8);
    return out;
  },
  setByte(input, rng) {
    if (input.length === 0) return input;
    const out = clone(input);
    out[rng.int(out.length)] = rng.int(3) === 0 ? rng.int(256) : pick(rng, INTERESTING_BYTES);
    return out;
  },
  setInt32(input, rng) {
    if (input.length < 4) return input;
    const out = clone(input);
    const value = rng.int(4) === 0 ? rng.nextUint32() | 0 : pick(rng, INTERESTING_INT32);
    out.writeInt32LE(value, offsetIn(rng, out.length, 4));
    return out;
  },
  addToInt32(input, rng) {
    if (input.length < 4) return input;
    const out = clone(input);
    const at = offsetIn(rng, out.length, 4);
    out.writeInt32LE((out.readInt32LE(at) + pick(rng, [-1, 1, -16, 16, -4096, 4096, 65536])) | 0, at);
    return out;
  },
  truncate(input, rng) {
    return input.subarray(0, rng.int(input.length + 1));
  },
  deleteRange(input, rng) {
    if (input.length === 0) return input;
    const at = rng.int(input.length);
    const n = 1 + rng.int(Math.min(64, input.length - at));
    return Buffer.concat([input.subarray(0, at), input.subarray(at + n)]);
  },
  insertBytes(input, rng) {
    const at = rng.int(input.length + 1);
    const n = 1 + rng.int(16);
    const bytes = Buffer.alloc(n);
    for (let i = 0; i < n; i++) bytes[i] = rng.int(2) === 0 ? pick(rng, INTERESTING_BYTES) : rng.int(256);
    return Buffer.concat([input.subarray(0, at), bytes, input.subarray(at)]);
  },
  duplicateRange(input, rng) {
    if (input.length === 0) return input;
    const at = rng.int(input.length);
    const n = 1 + rng.int(Math.min(256, input.length - at));
    const to = rng.int(input.length + 1);
    return Buffer.concat([input.subarray(0, to), input.subarray(at, at + n), input.subarray(to)]);
  },
  splice(input, rng, others) {
    if (others.length === 0) return input;
    const other = pick(rng, others);
    return Buffer.concat([input.subarray(0, rng.int(input.length + 1)), other.subarray(rng.int(other.length + 1))]);
  },
};

const SPECIAL_TEXT = [
  '\n',
  '\r',
  '\r\n',
  '\0',
  '"',
  '""',
  ',',
  '\t',
  '\ufeff',
  '#',
  ' ',
  '\x1b[31m',
  '..',
  '/',
  '\\',
  "'",
  '\u2028',
  '\ud800',
  '\xff',
];
const FIELD_VALUES = [
  '',
  ' ',
  '-1',
  '0',
  '1',
  '2147483647',
  '2147483648',
  '-2147483648',
  '99999999999999999999',
  '1e3',
  'NaN',
  'Infinity',
  '0x10',
  '..',
  '../../../../tmp/pwned',
  '/tmp/pwned',
  'a/b',
  'a\nb',
  '"a\nb"',
  '"a,b"',
  'x\0y',
  '\ufeffx',
  '<DEL>',
  '*',
  '.',
  'N',
  'ACGTN',
  'acgt',
  'chr1',
  'chrUn_x',
  'NA',
  'yes',
  'no',
  '2025-02-30',
  '2025-13-01',
  '9999-12-31',
  '1970-01-01',
  'index',
  'CON',
  'x'.repeat(300),
];

function splitLines(text: string): string[] {
  return text.split('\n');
}

/** Text mutators work on the UTF-8 string; a few binary mutators also apply to text files as bytes. */
const TEXT_STRING_MUTATORS: Readonly<Record<string, (text: string, rng: Rng) => string>> = {
  insertSpecial(text, rng) {
    const at = rng.int(text.length + 1);
    return text.slice(0, at) + pick(rng, SPECIAL_TEXT) + text.slice(at);
  },
  replaceField(text, rng) {
    const lines = splitLines(text);
    const li = rng.int(lines.length);
    const sep = lines[li].includes('\t') ? '\t' : ',';
    const fields = lines[li].split(sep);
    fields[rng.int(fields.length)] = pick(rng, FIELD_VALUES);
    lines[li] = fields.join(sep);
    return lines.join('\n');
  },
  deleteLine(text, rng) {
    const lines = splitLines(text);
    lines.splice(rng.int(lines.length), 1);
    return lines.join('\n');
  },
  duplicateLine(text, rng) {
    const lines = splitLines(text);
    const li = rng.int(lines.length);
    lines.splice(rng.int(lines.length + 1), 0, lines[li]);
    return lines.join('\n');
  },
  swapLines(text, rng) {
    const lines = splitLines(text);
    const a = rng.int(lines.length);
    const b = rng.int(lines.length);
    [lines[a], lines[b]] = [lines[b], lines[a]];
    return lines.join('\n');
  },
  dropField(text, rng) {
    const lines = splitLines(text);
    const li = rng.int(lines.length);
    const sep = lines[li].includes('\t') ? '\t' : ',';
    const fields = lines[li].split(sep);
    fields.splice(rng.int(fields.length), 1);
    lines[li] = fields.join(sep);
    return lines.join('\n');
  },
  prefixBom(text) {
    return `\ufeff${text}`;
  },
  crlf(text) {
    return text.replace(/\n/g, '\r\n');
  },
  longLine(text, rng) {
    const lines = splitLines(text);
    lines.splice(rng.int(lines.length + 1), 0, 'A'.repeat(1 + rng.int(200_000)));
    return lines.join('\n');
  },
};

export const TEXT_MUTATORS: Readonly<Record<string, Mutator>> = {
  ...Object.fromEntries(
    Object.entries(TEXT_STRING_MUTATORS).map(([name, m]) => [
      name,
      (input: Uint8Array, rng: Rng) => Buffer.from(m(Buffer.from(input).toString('utf8'), rng), 'utf8'),
    ]),
  ),
  flipBit: BINARY_MUTATORS.flipBit,
  truncate: BINARY_MUTATORS.truncate,
  setByte: BINARY_MUTATORS.setByte,
};

/** One to three mutations of `input`; returns the mutant and the names of the mutations applied. */
export function mutate(
  input: Uint8Array,
  rng: Rng,
  kind: 'binary' | 'text',
  others: readonly Uint8Array[] = [],
): { bytes: Uint8Array; steps: string[] } {
  const table = kind === 'binary' ? BINARY_MUTATORS : TEXT_MUTATORS;
  const names = Object.keys(table);
  const rounds = 1 + rng.int(3);
  let bytes = input;
  const steps: string[] = [];
  for (let r = 0; r < rounds; r++) {
    const name = pick(rng, names);
    bytes = table[name](bytes, rng, others);
    steps.push(name);
  }
  return { bytes, steps };
}
