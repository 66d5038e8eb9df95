// From (read, site) observations to per-site counts, inside the module: the base-quality filter
// and the mate rule. The rules are those of src/count/tally.ts (the oracle pipeline's copy, an
// independent implementation the property tests compare with this one):
//
// - every observation adds to the raw ref/alt counts if its own quality passes;
// - `reads` mode, or an unpaired read: counted alone;
// - paired, mate on another contig or starting after the site: counted alone (the mate cannot
//   cover the site);
// - the mate started earlier: if it is waiting at this site, the two merge; otherwise this read
//   counts alone (or, at the start of a thread's byte range, waits for the merge across ranges:
//   see DEFER below);
// - otherwise the read waits for its mate (or meets it, when both start at one position).
// Merging: same allele → one observation with the qualities summed (capped at 200; a missing
// quality, 255, stays missing) before the quality filter; different alleles → each mate's own
// filter first, both passing → a discordant fragment, one passing → it counts alone. The merged
// observation takes read 1's strand, marks and fragment length.

import { alloc } from './memory';

export const N_FIELDS: i32 = 13;
const F_DEPTH: i32 = 0;
const F_REF: i32 = 1;
const F_ALT: i32 = 2;
const F_OTHER: i32 = 3;
const F_DELETIONS: i32 = 4;
const F_INSERTIONS: i32 = 5;
const F_ALT_FWD: i32 = 6;
const F_ALT_REV: i32 = 7;
const F_DISCORDANT: i32 = 8;
const F_FRAG_REF: i32 = 9;
const F_FRAG_ALT: i32 = 10;
const F_RAW_REF: i32 = 11;
const F_RAW_ALT: i32 = 12;

const MISSING_QUAL: i32 = 255;
const MAX_MERGED_QUAL: i32 = 200;
const FLAG_PAIRED: i32 = 0x1;
const FLAG_REVERSE: i32 = 0x10;
const FLAG_READ1: i32 = 0x40;
const MARK_DEL: i32 = 1;
const MARK_INS: i32 = 2;

// Boundary rows (7 x i32): kind, site, hash hi, hash lo, code, flag, fragment length.
export const ROW_DEFERRED: i32 = 0; // its mate came before this thread's first record
export const ROW_WAITING: i32 = 1; // still waiting for its mate when the thread's range ended
export const BOUNDARY_INTS: i32 = 7;

let counts: usize = 0;
let nSites: i32 = 0;
let fragmentMode: bool = true;
let minBaseq: i32 = 20;

// Mate table: open addressing, linear probing, backward-shift deletion; 6 x i32 per slot
// (site, hash hi, hash lo, code, flag, fragment length); site -1 = empty.
const SLOT_BYTES: usize = 24;
let table: usize = 0;
let mask: u32 = 0;
let used: i32 = 0;

let boundary: usize = 0;
let boundaryCap: i32 = 0;
let boundaryCount: i32 = 0;

export function tallyConfigure(sites: i32, fragment: bool, baseq: i32): void {
  nSites = sites;
  fragmentMode = fragment;
  minBaseq = baseq;
  counts = alloc(<usize>(sites * N_FIELDS) << 3);
  table = 0;
  boundary = 0;
  boundaryCap = 0;
  tallyReset();
}

/** Zero counts, empty mate table and boundary list. */
export function tallyReset(): void {
  memory.fill(counts, 0, <usize>(nSites * N_FIELDS) << 3);
  if (table == 0) {
    mask = (1 << 12) - 1; // grows with the depth
    table = alloc(<usize>(mask + 1) * SLOT_BYTES);
  }
  for (let i: u32 = 0; i <= mask; i++) store<i32>(table + <usize>i * SLOT_BYTES, -1);
  used = 0;
  boundaryCount = 0;
}

export function countsPtr(): usize {
  return counts;
}
export function boundaryPtr(): usize {
  return boundary;
}
export function boundaryRows(): i32 {
  return boundaryCount;
}

@inline function passes(q: i32): bool {
  return q == MISSING_QUAL || q >= minBaseq;
}

@inline function bump(site: i32, field: i32, by: f64): void {
  const at = counts + (<usize>(site * N_FIELDS + field) << 3);
  store<f64>(at, load<f64>(at) + by);
}

function countOne(site: i32, code: i32, flag: i32, frag: i32, qual: i32): void {
  if (!passes(qual)) return;
  const allele = code & 0xff;
  const marks = (code >> 8) & 0xff;
  bump(site, F_DEPTH, 1);
  if (marks & MARK_DEL) bump(site, F_DELETIONS, 1);
  if (marks & MARK_INS) bump(site, F_INSERTIONS, 1);
  if (allele == 0) {
    bump(site, F_REF, 1);
    bump(site, F_FRAG_REF, <f64>frag);
  } else if (allele == 1) {
    bump(site, F_ALT, 1);
    bump(site, F_FRAG_ALT, <f64>frag);
    bump(site, flag & FLAG_REVERSE ? F_ALT_REV : F_ALT_FWD, 1);
  } else {
    bump(site, F_OTHER, 1);
  }
}

function mergeMates(site: i32, code1: i32, flag1: i32, frag1: i32, code2: i32, flag2: i32, frag2: i32): void {
  if ((flag2 & FLAG_READ1) != 0 && (flag1 & FLAG_READ1) == 0) {
    // Read 1 first: its strand, marks and fragment length describe the merged observation.
    const c = code1;
    code1 = code2;
    code2 = c;
    const f = flag1;
    flag1 = flag2;
    flag2 = f;
    const g = frag1;
    frag1 = frag2;
    frag2 = g;
  }
  const q1 = (code1 >> 16) & 0xff;
  const q2 = (code2 >> 16) & 0xff;
  if ((code1 & 0xff) == (code2 & 0xff)) {
    const q = q1 == MISSING_QUAL || q2 == MISSING_QUAL ? MISSING_QUAL : min(MAX_MERGED_QUAL, q1 + q2);
    countOne(site, code1, flag1, frag1, q);
    return;
  }
  const p1 = passes(q1);
  const p2 = passes(q2);
  if (p1 && p2) bump(site, F_DISCORDANT, 1);
  else if (p1) countOne(site, code1, flag1, frag1, q1);
  else if (p2) countOne(site, code2, flag2, frag2, q2);
}

@inline function slotHash(site: i32, hi: i32, lo: i32): u32 {
  let h = <u32>hi ^ (<u32>lo * 0x9e3779b1) ^ (<u32>(site + 1) * 0x85ebca6b);
  return h ^ (h >>> 16);
}

/** Slot of (site, hi, lo), or the empty slot where it would go. */
function findSlot(site: i32, hi: i32, lo: i32): usize {
  let i = slotHash(site, hi, lo) & mask;
  let at = table + <usize>i * SLOT_BYTES;
  let s = load<i32>(at);
  // The table is never more than half full: the probe ends at an empty slot.
  while (s != -1 && (s != site || load<i32>(at, 4) != hi || load<i32>(at, 8) != lo)) {
    i = (i + 1) & mask;
    at = table + <usize>i * SLOT_BYTES;
    s = load<i32>(at);
  }
  return at;
}

// The row taken by the last successful take.
let foundCode: i32 = 0;
let foundFlag: i32 = 0;
let foundFrag: i32 = 0;

function removeAt(at: usize): void {
  used--;
  let hole = <u32>((at - table) / SLOT_BYTES);
  let j = hole;
  while (true) {
    j = (j + 1) & mask;
    const jat = table + <usize>j * SLOT_BYTES;
    const s = load<i32>(jat);
    if (s == -1) break;
    const home = slotHash(s, load<i32>(jat, 4), load<i32>(jat, 8)) & mask;
    // Entry j may move into the hole unless its home lies cyclically in (hole, j].
    const between = hole <= j ? home > hole && home <= j : home > hole || home <= j;
    if (between) continue;
    memory.copy(table + <usize>hole * SLOT_BYTES, jat, SLOT_BYTES);
    hole = j;
  }
  store<i32>(table + <usize>hole * SLOT_BYTES, -1);
}

function take(site: i32, hi: i32, lo: i32): bool {
  const at = findSlot(site, hi, lo);
  if (load<i32>(at) == -1) return false;
  foundCode = load<i32>(at, 12);
  foundFlag = load<i32>(at, 16);
  foundFrag = load<i32>(at, 20);
  removeAt(at);
  return true;
}

function put(at: usize, site: i32, hi: i32, lo: i32, code: i32, flag: i32, frag: i32): void {
  store<i32>(at, site);
  store<i32>(at, hi, 4);
  store<i32>(at, lo, 8);
  store<i32>(at, code, 12);
  store<i32>(at, flag, 16);
  store<i32>(at, frag, 20);
  used++;
  if (<u32>used * 2 > mask + 1) grow();
}

/** If the mate waits, takes it (into found*) and returns true; else stores this row. */
function takeOrPut(site: i32, hi: i32, lo: i32, code: i32, flag: i32, frag: i32): bool {
  const at = findSlot(site, hi, lo);
  if (load<i32>(at) != -1) {
    foundCode = load<i32>(at, 12);
    foundFlag = load<i32>(at, 16);
    foundFrag = load<i32>(at, 20);
    removeAt(at);
    return true;
  }
  put(at, site, hi, lo, code, flag, frag);
  return false;
}

function grow(): void {
  const old = table;
  const oldSlots = mask + 1;
  mask = (oldSlots << 1) - 1;
  table = alloc(<usize>(mask + 1) * SLOT_BYTES);
  for (let i: u32 = 0; i <= mask; i++) store<i32>(table + <usize>i * SLOT_BYTES, -1);
  used = 0;
  for (let i: u32 = 0; i < oldSlots; i++) {
    const at = old + <usize>i * SLOT_BYTES;
    const s = load<i32>(at);
    if (s == -1) continue;
    const hi = load<i32>(at, 4);
    const lo = load<i32>(at, 8);
    put(findSlot(s, hi, lo), s, hi, lo, load<i32>(at, 12), load<i32>(at, 16), load<i32>(at, 20));
  }
}

function pushBoundary(kind: i32, site: i32, hi: i32, lo: i32, code: i32, flag: i32, frag: i32): void {
  if (boundaryCount == boundaryCap) {
    const cap = max(4096, boundaryCap * 2);
    const next = alloc(<usize>(cap * BOUNDARY_INTS) << 2);
    if (boundaryCount > 0) memory.copy(next, boundary, <usize>(boundaryCount * BOUNDARY_INTS) << 2);
    boundary = next;
    boundaryCap = cap;
  }
  const at = boundary + (<usize>(boundaryCount * BOUNDARY_INTS) << 2);
  store<i32>(at, kind);
  store<i32>(at, site, 4);
  store<i32>(at, hi, 8);
  store<i32>(at, lo, 12);
  store<i32>(at, code, 16);
  store<i32>(at, flag, 20);
  store<i32>(at, frag, 24);
  boundaryCount++;
}

/**
 * One observation of a read at site slot `site` (sorted order). `siteStart` is the site's
 * 0-based position; `mayDefer`: the read's mate could lie before this thread's first record.
 */
export function addObservation(
  site: i32, code: i32, flag: i32, frag: i32, readStart: i32, mateStart: i32, mateSameContig: bool,
  hi: i32, lo: i32, siteStart: i32, mayDefer: bool,
): void {
  const q = (code >> 16) & 0xff;
  if (passes(q)) {
    const allele = code & 0xff;
    if (allele == 0) bump(site, F_RAW_REF, 1);
    else if (allele == 1) bump(site, F_RAW_ALT, 1);
  }
  if (!fragmentMode || (flag & FLAG_PAIRED) == 0 || !mateSameContig || mateStart > siteStart) {
    countOne(site, code, flag, frag, q);
    return;
  }
  if (mateStart < readStart) {
    if (take(site, hi, lo)) mergeMates(site, foundCode, foundFlag, foundFrag, code, flag, frag);
    else if (mayDefer) pushBoundary(ROW_DEFERRED, site, hi, lo, code, flag, frag);
    else countOne(site, code, flag, frag, q);
    return;
  }
  if (takeOrPut(site, hi, lo, code, flag, frag)) mergeMates(site, foundCode, foundFlag, foundFrag, code, flag, frag);
}

/** End of a thread's range: rows still waiting go to the boundary list, for the merge. */
export function exportWaiting(): void {
  for (let i: u32 = 0; i <= mask; i++) {
    const at = table + <usize>i * SLOT_BYTES;
    const s = load<i32>(at);
    if (s == -1) continue;
    pushBoundary(ROW_WAITING, s, load<i32>(at, 4), load<i32>(at, 8), load<i32>(at, 12), load<i32>(at, 16), load<i32>(at, 20));
    store<i32>(at, -1);
  }
  used = 0;
}

/**
 * The merge across threads' ranges, in range order: a deferred row takes its waiting mate or
 * counts alone; a waiting row meets its mate or waits. `rows` holds n boundary rows.
 */
export function mergeBoundary(rows: usize, n: i32): void {
  for (let r = 0; r < n; r++) {
    const at = rows + (<usize>(r * BOUNDARY_INTS) << 2);
    const kind = load<i32>(at);
    const site = load<i32>(at, 4);
    const hi = load<i32>(at, 8);
    const lo = load<i32>(at, 12);
    const code = load<i32>(at, 16);
    const flag = load<i32>(at, 20);
    const frag = load<i32>(at, 24);
    if (kind == ROW_DEFERRED) {
      if (take(site, hi, lo)) mergeMates(site, foundCode, foundFlag, foundFrag, code, flag, frag);
      else countOne(site, code, flag, frag, (code >> 16) & 0xff);
    } else if (takeOrPut(site, hi, lo, code, flag, frag)) {
      mergeMates(site, foundCode, foundFlag, foundFrag, code, flag, frag);
    }
  }
}

/** After the last range: mates that never arrived count alone. */
export function flushWaiting(): void {
  for (let i: u32 = 0; i <= mask; i++) {
    const at = table + <usize>i * SLOT_BYTES;
    const s = load<i32>(at);
    if (s == -1) continue;
    const code = load<i32>(at, 12);
    countOne(s, code, load<i32>(at, 16), load<i32>(at, 20), (code >> 16) & 0xff);
    store<i32>(at, -1);
  }
  used = 0;
}
