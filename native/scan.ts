// oligotrack counting kernel (AssemblyScript → WebAssembly): BGZF inflate, record checks, the
// scan against the sites, and the per-site tallies, in one linear memory.
//
// JavaScript reads the compressed bytes of a byte range straight into this module's memory
// (compPtr/compRoom), then one `feed` call per batch (~1 MiB) walks the BGZF blocks: header
// checks, inflate (native/inflate.ts) into the scan buffer right after the bytes of the record
// in progress, ISIZE and CRC-32 (native/crc32.ts), then every record that is now complete is
// checked (native/record.ts), classified at each site it covers (native/classify.ts) and
// tallied (native/tally.ts). JavaScript receives per-site counts, not per-read rows (unless it
// asks for the observation table, for UMI families).
//
// Already-inflated BAM record bytes (node's zlib as the reference inflater; CRAM records encoded
// as BAM records) enter through inflatedArea + scanInflated: the same checks and counting rules.
//
// Work is organised in pieces: byte ranges of the BAM, each a merged index segment or a part of
// one (src/count/pieces.ts). A piece starts at a known record (its virtual offset) or, when a
// thread's range was cut at a BGZF block, at the first record found in that block (`resync`,
// verified afterwards against where the previous range ended). It ends at its limit (records
// starting at or after a virtual offset are not its own), when reads start after its last site
// (indexed pieces), or at the end of the file (sequential passes read and check every record).

import { alloc, resetAlloc } from './memory';
import { inflate, INFLATE_OK, inflatedBytes } from './inflate';
import { crc32 } from './crc32';
import { checkBody, checkHead, MAX_RECORD_BYTES, REC_BLOCK_LARGE, REC_BLOCK_SMALL, REC_OK, recAux, recCigar, recEnd, recNCigar, recQual, recRefEnd, recSeq } from './record';
import { cAllele, classify, cMarks, cQual, setRead, siteField, SITE_BYTES, sitesPtr } from './classify';
import { addObservation, tallyConfigure, tallyReset } from './tally';
import { findUmi, umiAt, umiLen } from './umi';

export { countsPtr, boundaryPtr, boundaryRows, exportWaiting, mergeBoundary, flushWaiting } from './tally';
export { inflate, inflatedBytes } from './inflate';
export { crc32, crc32Slice8 } from './crc32';

// Status of feed / scanInflated / finishPiece.
const ST_NEED_INPUT: i32 = 0; // every complete block/record is done; more bytes please
const ST_LIMIT: i32 = 1; // the next record starts at or after the piece's limit
const ST_PAST: i32 = 2; // reads now start after the piece's last site
const ST_UNSORTED: i32 = 3;
const ST_MALFORMED: i32 = 4; // a record fails its checks (errorReason: REC_* code)
const ST_ROWS_FULL: i32 = 5; // the observation rows must be drained before going on
const ST_BGZF: i32 = 6; // a BGZF block is bad (errorReason: BG_* code, errorCoff: its offset)
const ST_END: i32 = 7; // finishPiece: the data ended cleanly
const ST_TRUNCATED: i32 = 8; // finishPiece: the data ended inside a record (or block)
const ST_RESYNC_FAILED: i32 = 9; // no record start found in the first block of a cut piece
const ST_HEADER: i32 = 10; // the BAM header (sequential pass from byte 0) is malformed

// BGZF problems (errorReason with ST_BGZF).
const BG_HEADER: i32 = 1; // not a gzip member with a BC field
const BG_ISIZE_LARGE: i32 = 2; // ISIZE above 65536
const BG_INFLATE: i32 = 3; // the deflate data is corrupt (errorDetail: INFLATE_* code)
const BG_CRC: i32 = 4;
const BG_SIZE: i32 = 5; // inflated size differs from ISIZE (errorDetail: the inflated size)
const BG_SKIP_PAST: i32 = 6; // the piece's first record offset lies beyond its block's data

const ROW_INTS: i32 = 12;
const MAX_ISIZE: i32 = 65536;
// Room kept after the scan buffer's data for the inflater's 16-byte match copies.
const SLACK: i32 = 64;

// ---- configuration -------------------------------------------------------------------------
let nRef: i32 = 0;
let nSites: i32 = 0;
let excludeFlags: i32 = 0xf04;
let minMapq: i32 = 20;
let emitRows: bool = false;
let umiTag: i32 = 0;
let inflateIntoScan: bool = true;

let comp: usize = 0; // compressed input area
let compCap: i32 = 0;
let buf: usize = 0; // scan buffer (inflated data)
let bufCap: i32 = 0;
let rows: usize = 0; // observation rows
let rowsCap: i32 = 0;
let umiArena: usize = 0;
let umiCap: i32 = 0;
// Small areas for names of records reported to JavaScript.
const NAMES = memory.data(4 * 256, 16);

/**
 * Sets up the kernel for one count: n sites (JS fills the site table at sitesAt() and the
 * allele bytes at seqAt()), filters, the mate mode, the base-quality threshold, whether to emit
 * observation rows (and where UMIs come from: two tag bytes or 0 for the read name).
 */
export function configure(refs: i32, sites: i32, seqBytes: i32, exclude: i32, mapq: i32, baseq: i32, fragment: bool, rowsOut: bool, umi: i32, compBytes: i32, bufBytes: i32): void {
  resetAlloc();
  nRef = refs;
  nSites = sites;
  excludeFlags = exclude;
  minMapq = mapq;
  emitRows = rowsOut;
  umiTag = umi;
  sitesPtr = alloc(<usize>(max(sites, 1) * SITE_BYTES + seqBytes + 16));
  tallyConfigure(sites, fragment, baseq);
  compCap = compBytes;
  comp = alloc(<usize>(compCap + 64));
  bufCap = max(bufBytes, 2 * MAX_ISIZE);
  buf = alloc(<usize>(bufCap + SLACK));
  if (emitRows) {
    rowsCap = max(1024, min(16384, bufBytes >> 6));
    rows = alloc(<usize>(rowsCap * ROW_INTS) << 2);
    umiCap = 1 << 20;
    umiArena = alloc(<usize>umiCap);
  }
  beginWorker(false);
}

export function sitesAt(): usize {
  return sitesPtr;
}
export function seqAt(): usize {
  return sitesPtr + <usize>(nSites * SITE_BYTES);
}

// ---- per-worker state ------------------------------------------------------------------------
let canDefer: bool = false;
let firstRef: i32 = -2; // first record this worker read (deferral threshold), -2 = none yet
let firstPos: i32 = 0;
export let readsSeen: f64 = 0;
export let readsPassing: f64 = 0;
let rowCount: i32 = 0;
let umiFill: i32 = 0;
// The first record on a contig with sites still ahead (for the zero-depth warning).
let siteContigRef: i32 = -2;
let siteContigPos: i32 = 0;
let siteContigCoff: f64 = 0;
let siteContigU: i32 = 0;

/** A new thread's range; `defer`: ranges before it exist, so mates may lie there. */
export function beginWorker(defer: bool): void {
  canDefer = defer;
  firstRef = -2;
  readsSeen = 0;
  readsPassing = 0;
  rowCount = 0;
  umiFill = 0;
  siteContigRef = -2;
  tallyReset();
}

// ---- per-piece state -------------------------------------------------------------------------
let status: i32 = 0;
let stopRef: i32 = 0;
let stopPos: i32 = 0;
let readToEnd: bool = false;
let limitCoff: f64 = 0; // records starting at or after (limitCoff, limitU) are not this piece's
let limitU: i32 = 0;
let limitPos: i32 = 0x7fffffff; // ... their position in the scan buffer, once known
let skipFirst: i32 = 0; // bytes of the first block before the first record (-1: resync)
let headerState: i32 = 0; // sequential pass from byte 0: 0 none, 1 magic+l_text, 2 text, 3 n_ref, 4 refs
let headerLeft: f64 = 0;
let headerRefs: i32 = 0;
let sitePointer: i32 = 0;
let lastRef: i32 = -1;
let lastPos: i32 = -1;
let pieceRecords: i32 = 0;
let contributed: bool = false;
let firstBlockSeen: bool = false;
let atEnd: bool = false;

let fill: i32 = 0; // bytes in the scan buffer
let cursor: i32 = 0; // next record's start in the scan buffer
let compPos: i32 = 0; // next block's start in the compressed area
let compFill: i32 = 0;
let compBase: f64 = 0; // file offset of comp[0]

// Blocks whose data is in the scan buffer (for virtual offsets): a small queue.
const QUEUE = 1024;
const qStart = memory.data(QUEUE * 4, 16);
const qCoff = memory.data(QUEUE * 8, 16);
let qLen: i32 = 0;

// Outputs.
let errorReason: i32 = 0;
let errorDetail: i32 = 0;
let errorPos: i32 = 0;
let errorCoff: f64 = 0;
let errorU: i32 = 0;
let errorValue: f64 = 0; // a 32-bit field's value for the message (ISIZE)
// First and last record of the piece: ref, pos, coff, u (names in NAMES[0] / NAMES[1]).
let pFirstRef: i32 = -2;
let pFirstPos: i32 = 0;
let pFirstCoff: f64 = 0;
let pFirstU: i32 = 0;
let pLastRef: i32 = -2;
let pLastPos: i32 = 0;
let pLastCoff: f64 = 0;
let pLastU: i32 = 0;
let endCoff: f64 = 0; // where the piece stopped: the next record's virtual offset
let endU: i32 = 0;

/**
 * Starts a piece at file offset `startCoff` (the first block). `skip`: bytes of that block's
 * data before the first record, or -1 to find the first record (a cut at a block boundary), or
 * -2 for a sequential pass from byte 0 (skip the BAM header). Reads starting after
 * (stopRef, stopPos) end an indexed piece; `toEnd` reads to the end of the data instead.
 */
export function beginPiece(startCoff: f64, skip: i32, lCoff: f64, lU: i32, sRef: i32, sPos: i32, toEnd: bool): void {
  status = ST_NEED_INPUT;
  stopRef = sRef;
  stopPos = sPos;
  readToEnd = toEnd;
  limitCoff = lCoff;
  limitU = lU;
  limitPos = 0x7fffffff;
  skipFirst = skip == -2 ? 0 : skip;
  headerState = skip == -2 ? 1 : 0;
  headerLeft = 8;
  sitePointer = 0;
  lastRef = -1;
  lastPos = -1;
  pieceRecords = 0;
  contributed = false;
  firstBlockSeen = false;
  fill = 0;
  cursor = 0;
  compPos = 0;
  compFill = 0;
  compBase = startCoff;
  qLen = 0;
  pFirstRef = -2;
  pLastRef = -2;
  lastAt = -1;
  atEnd = false;
  errorReason = 0;
  errorDetail = 0;
}

// ---- compressed input --------------------------------------------------------------------------

/** Room for more compressed bytes at compPtr() (moves the unread tail to the front first). */
export function compRoom(): i32 {
  if (compPos > 0) {
    memory.copy(comp, comp + <usize>compPos, <usize>(compFill - compPos));
    compFill -= compPos;
    compBase += <f64>compPos;
    compPos = 0;
  }
  return compCap - compFill;
}
export function compPtr(): usize {
  return comp + <usize>compFill;
}
/** File offset of the next compressed byte the kernel has not consumed. */
export function compNext(): f64 {
  return compBase + <f64>compPos;
}

/**
 * `n` more compressed bytes were written at compPtr(). Inflates and scans every complete block
 * (stopping early at the piece's end or on an error). Returns the status.
 */
export function feed(n: i32): i32 {
  compFill += n;
  return resume();
}

/** Continues after ST_ROWS_FULL (rows drained) or with no new bytes. */
export function resume(): i32 {
  if (status != ST_NEED_INPUT && status != ST_ROWS_FULL) return status;
  status = ST_NEED_INPUT;
  // Records already in the buffer first (rows drained, or left by scanInflated).
  scanRecords();
  while (status == ST_NEED_INPUT) {
    const have = compFill - compPos;
    if (have < 18) break;
    const p = comp + <usize>compPos;
    const coff = compBase + <f64>compPos;
    const size = blockSize(p, have);
    if (size <= -2) return bgzfError(BG_HEADER, -2 - size, coff);
    if (size < 0 || size > have) break; // incomplete block
    const isizeField = load<u32>(p + <usize>(size - 4));
    if (isizeField > <u32>MAX_ISIZE) return bgzfError(BG_ISIZE_LARGE, 0, coff, <f64>isizeField);
    const isize = <i32>isizeField;
    if (!makeRoom(isize)) return status;
    const xlen = <i32>load<u16>(p + 10);
    const dataAt = p + <usize>(12 + xlen);
    const dataLen = size - 20 - xlen;
    const out = buf + <usize>fill;
    if (dataLen < 0) return bgzfError(BG_HEADER, 0, coff);
    const r = inflate(dataAt, dataLen, out, isize);
    if (r != INFLATE_OK) {
      if (r == 7) return bgzfError(BG_SIZE, -1, coff, <f64>isize); // more data than ISIZE
      if (r == 9) return bgzfError(BG_SIZE, inflatedBytes, coff, <f64>isize);
      return bgzfError(BG_INFLATE, r, coff);
    }
    if (crc32(out, isize, 0) != load<u32>(p + <usize>(size - 8))) return bgzfError(BG_CRC, 0, coff);
    compPos += size;
    appendBlock(coff, isize);
    scanRecords();
  }
  return status;
}

/**
 * Bytes of a BGZF block at p (have bytes available): its total size, -1 when the header is
 * incomplete, -2 when it is not a gzip member, -3 when it has no (sane) BC field.
 */
function blockSize(p: usize, have: i32): i32 {
  // gzip magic, deflate, and FLG exactly FEXTRA (SAM spec §4.1; no name, comment or header CRC).
  if (load<u8>(p) != 0x1f || load<u8>(p + 1) != 0x8b || load<u8>(p + 2) != 8 || load<u8>(p + 3) != 4) return -2;
  const xlen = <i32>load<u16>(p + 10);
  if (have < 12 + xlen) return -1;
  let x = 12;
  while (x + 4 <= 12 + xlen) {
    const slen = <i32>load<u16>(p + <usize>(x + 2));
    if (load<u8>(p + <usize>x) == 66 && load<u8>(p + <usize>(x + 1)) == 67 && slen == 2) {
      const size = <i32>load<u16>(p + <usize>(x + 4)) + 1;
      return size < 12 + xlen + 8 ? -3 : size;
    }
    x += 4 + slen;
  }
  return -3; // a gzip member, but no BC subfield
}

function bgzfError(reason: i32, detail: i32, coff: f64, value: f64 = 0): i32 {
  status = ST_BGZF;
  errorReason = reason;
  errorDetail = detail;
  errorCoff = coff;
  errorValue = value;
  return status;
}

// ---- the scan buffer ----------------------------------------------------------------------------

/** Makes room for `bytes` more in the scan buffer: compacts, grows when a record is that long. */
function makeRoom(bytes: i32): bool {
  if (fill + bytes <= bufCap) return true;
  snapLast(); // the last record's bytes may be about to go
  if (cursor > 0) {
    memory.copy(buf, buf + <usize>cursor, <usize>(fill - cursor));
    fill -= cursor;
    if (limitPos != 0x7fffffff) limitPos -= cursor;
    // Block starts move with the data; blocks wholly before the cursor go.
    let keep = 0;
    for (let i = 0; i < qLen; i++) {
      const s = load<i32>(qStart + (<usize>i << 2)) - cursor;
      if (i + 1 < qLen && load<i32>(qStart + (<usize>(i + 1) << 2)) - cursor <= 0) continue;
      store<i32>(qStart + (<usize>keep << 2), s);
      store<f64>(qCoff + (<usize>keep << 3), load<f64>(qCoff + (<usize>i << 3)));
      keep++;
    }
    qLen = keep;
    cursor = 0;
  }
  if (fill + bytes <= bufCap) return true;
  // A record longer than the buffer: grow (records are at most MAX_RECORD_BYTES).
  let cap = bufCap * 2;
  while (cap < fill + bytes) cap *= 2;
  if (cap > MAX_RECORD_BYTES + (4 << 20)) cap = MAX_RECORD_BYTES + (4 << 20);
  if (fill + bytes > cap) {
    status = ST_MALFORMED;
    errorReason = REC_BLOCK_LARGE;
    errorPos = cursor;
    return false;
  }
  const next = alloc(<usize>(cap + SLACK));
  memory.copy(next, buf, <usize>fill);
  buf = next;
  bufCap = cap;
  return true;
}

/** A block's data now sits at [fill, fill + isize): record it, apply skip and limit. */
function appendBlock(coff: f64, isize: i32): void {
  const start = fill;
  fill += isize;
  if (!firstBlockSeen) {
    firstBlockSeen = true;
    // The piece's first record offset lies past its block's data: not this BAM's index.
    if (skipFirst > isize) {
      bgzfError(BG_SKIP_PAST, skipFirst, coff);
      return;
    }
    cursor = start + max(skipFirst, 0);
  }
  if (limitPos == 0x7fffffff) {
    if (coff == limitCoff) limitPos = start + limitU;
    else if (coff > limitCoff) limitPos = start;
  }
  if (isize == 0) return;
  // Keep the queue short: a block wholly inside the record in progress never holds a record
  // start, so it needs no entry.
  // (Only once the cursor is at a record: not while the header or the first record is sought.)
  if (qLen > 0 && skipFirst >= 0 && headerState == 0 && fill - cursor >= 4 && cursor >= load<i32>(qStart + (<usize>(qLen - 1) << 2))) {
    const recordEnd = <i64>cursor + 4 + <i64>load<i32>(buf + <usize>cursor);
    if (<i64>fill <= recordEnd && <i64>start > <i64>cursor) return;
  }
  if (qLen == QUEUE) {
    // Drop entries wholly before the cursor's block.
    let first = 0;
    while (first + 1 < qLen && load<i32>(qStart + (<usize>(first + 1) << 2)) <= cursor) first++;
    if (first == 0) first = 1; // cannot happen with sane blocks; keep the newest entries
    memory.copy(qStart, qStart + (<usize>first << 2), <usize>(qLen - first) << 2);
    memory.copy(qCoff, qCoff + (<usize>first << 3), <usize>(qLen - first) << 3);
    qLen -= first;
  }
  store<i32>(qStart + (<usize>qLen << 2), start);
  store<f64>(qCoff + (<usize>qLen << 3), coff);
  qLen++;
}

// Virtual offset of a scan-buffer position (set by locate).
let vCoff: f64 = 0;
let vU: i32 = 0;

function locate(pos: i32): void {
  let i = qLen - 1;
  while (i > 0 && load<i32>(qStart + (<usize>i << 2)) > pos) i--;
  if (i < 0) {
    vCoff = compBase;
    vU = pos;
    return;
  }
  vCoff = load<f64>(qCoff + (<usize>i << 3));
  vU = pos - load<i32>(qStart + (<usize>i << 2));
}

// ---- already-inflated bytes ---------------------------------------------------------------------

/** Where JavaScript writes `n` inflated bytes (compacts or grows the buffer first). */
export function inflatedArea(n: i32): usize {
  if (!makeRoom(n)) return 0;
  return buf + <usize>fill;
}

/**
 * `n` inflated bytes of the block at file offset `coff` were written at inflatedArea(n): scans
 * the records now complete. For bytes that are not from a BGZF file (CRAM records), pass the
 * running count of bytes fed as `coff`: messages then give that as the position.
 */
export function scanInflated(n: i32, coff: f64): i32 {
  if (status != ST_NEED_INPUT && status != ST_ROWS_FULL) return status;
  status = ST_NEED_INPUT;
  appendBlock(coff, n);
  if (status == ST_NEED_INPUT) scanRecords();
  return status;
}

/** The data ended: the piece ends cleanly unless a record or block was cut off. */
export function finishPiece(): i32 {
  atEnd = true;
  scanRecords(); // a cut piece too short to wait for more data finds its first record now
  if (status == ST_NEED_INPUT) {
    if (compFill > compPos) {
      status = ST_TRUNCATED;
      errorCoff = compBase + <f64>compPos;
      errorReason = 1; // a block cut off
    } else if (headerState != 0) {
      status = ST_TRUNCATED;
      errorReason = 3; // inside the header
    } else if (fill > cursor) {
      status = ST_TRUNCATED;
      errorReason = 2; // inside a record
      errorPos = cursor;
      locate(cursor);
      errorCoff = vCoff;
      errorU = vU;
    } else {
      status = ST_END;
    }
  }
  return status;
}

// ---- the record scan ------------------------------------------------------------------------

/** Consumes the BAM header of a sequential pass (streamed: its text is never buffered). */
function skipHeader(): bool {
  while (headerState != 0) {
    const have = fill - cursor;
    if (headerState == 2 || headerState == 5) {
      // Skipping bytes (text, or a reference's name and length).
      const n = <i32>min<f64>(headerLeft, <f64>have);
      cursor += n;
      headerLeft -= <f64>n;
      if (headerLeft > 0) return false;
      if (headerState == 2) {
        headerState = 3;
      } else {
        headerRefs--;
        headerState = headerRefs > 0 ? 4 : 0;
      }
      continue;
    }
    if (have < 8 && headerState == 1) return false;
    if (have < 4) return false;
    const p = buf + <usize>cursor;
    if (headerState == 1) {
      if (load<u32>(p) != 0x014d4142) return headerError();
      const lText = load<i32>(p + 4);
      if (lText < 0) return headerError();
      cursor += 8;
      headerLeft = <f64>lText;
      headerState = 2;
    } else if (headerState == 3) {
      headerRefs = load<i32>(p);
      if (headerRefs < 0) return headerError();
      cursor += 4;
      headerState = headerRefs > 0 ? 4 : 0;
    } else {
      const lName = load<i32>(p);
      if (lName < 1) return headerError();
      cursor += 4;
      headerLeft = <f64>lName + 4;
      headerState = 5;
    }
  }
  return true;
}

function headerError(): bool {
  status = ST_HEADER;
  return false;
}

/** Finds the first record start in the first block of a cut piece (skipFirst == -1). */
function resync(): bool {
  // Wait for the first block and up to 256 KiB after it, or the piece's end, to check chains.
  if (qLen == 0) return false;
  const firstStart = load<i32>(qStart);
  const firstEnd = qLen > 1 ? load<i32>(qStart + 4) : fill;
  if (fill - firstStart < (256 << 10) && limitPos == 0x7fffffff && !atEnd) return false;
  for (let u = firstStart; u < firstEnd; u++) {
    if (chainValid(u)) {
      cursor = u;
      skipFirst = u - firstStart;
      return true;
    }
  }
  status = ST_RESYNC_FAILED;
  return false;
}

/** Whether records can follow one another from `u` to the end of the buffered data. */
function chainValid(u: i32): bool {
  let at = u;
  let whole = 0;
  let prevRef = -1;
  let prevPos = -1;
  while (at + 4 <= fill) {
    const p = buf + <usize>at;
    const bs = load<i32>(p);
    if (bs < 32 || bs > MAX_RECORD_BYTES) return false;
    if (at + 36 <= fill && checkHead(p, nRef) != REC_OK) return false;
    if (at + 4 + bs > fill) return whole > 0 || at + 36 <= fill;
    if (checkBody(p) != REC_OK) return false;
    const ref = load<i32>(p + 4);
    const pos = load<i32>(p + 8);
    const order = ref < 0 ? 0x7fffffff : ref;
    if (whole > 0 && (order < prevRef || (order == prevRef && ref >= 0 && pos < prevPos))) return false;
    prevRef = order;
    prevPos = pos;
    whole++;
    at += 4 + bs;
  }
  return whole > 0 && at == fill;
}

function scanRecords(): void {
  if (status != ST_NEED_INPUT) return;
  if (headerState != 0 && !skipHeader()) return;
  if (skipFirst < 0 && !resync()) return;
  while (true) {
    if (cursor >= limitPos) {
      status = ST_LIMIT;
      locate(cursor);
      endCoff = vCoff;
      endU = vU;
      return;
    }
    if (fill - cursor < 4) return;
    const p = buf + <usize>cursor;
    const blockSize = load<i32>(p);
    // block_size bounds first (the record may still be incomplete), the rest once it is whole.
    let problem = blockSize < 32 ? REC_BLOCK_SMALL : blockSize > MAX_RECORD_BYTES ? REC_BLOCK_LARGE : REC_OK;
    if (problem == REC_OK) {
      if (cursor + 4 + blockSize > fill) return;
      problem = checkHead(p, nRef);
      if (problem == REC_OK) problem = checkBody(p);
    }
    if (problem != REC_OK) {
      status = ST_MALFORMED;
      errorReason = problem;
      errorPos = cursor;
      locate(cursor);
      errorCoff = vCoff;
      errorU = vU;
      return;
    }
    const ref = load<i32>(p + 4);
    const pos = load<i32>(p + 8);
    if (emitRows && !roomForRows(ref, pos)) {
      status = ST_ROWS_FULL;
      return;
    }
    // Sort order: unplaced reads (refID -1) after every placed one, their positions unordered.
    const order = ref < 0 ? 0x7fffffff : ref;
    if (order < lastRef || (order == lastRef && ref >= 0 && pos < lastPos)) {
      status = ST_UNSORTED;
      errorPos = cursor;
      locate(cursor);
      errorCoff = vCoff;
      errorU = vU;
      saveName(2, p);
      errorDetail = ref;
      return;
    }
    lastRef = order;
    lastPos = pos;
    noteRecord(p, ref, pos);
    let past = ref < 0 || ref > stopRef || (ref == stopRef && pos > stopPos);
    if (!past) {
      // Skip sites before this read's start (reads are sorted, so forever).
      while (sitePointer < nSites) {
        const sr = siteField(sitePointer, 0);
        if (sr < ref || (sr == ref && siteField(sitePointer, 1) < pos)) sitePointer++;
        else break;
      }
      past = sitePointer >= nSites;
    }
    if (past && !readToEnd) {
      status = ST_PAST;
      locate(cursor);
      endCoff = vCoff;
      endU = vU;
      return;
    }
    if (!past && siteField(sitePointer, 0) == ref) countRecord(p, ref, pos);
    cursor += 4 + blockSize;
  }
}

/**
 * Whether the observation rows of the record just checked (ref, pos; its end in recRefEnd) fit.
 * When they cannot fit even in empty buffers (a read over more sites than the buffers hold), the
 * buffers grow; otherwise the rows already there must be drained first.
 */
function roomForRows(ref: i32, pos: i32): bool {
  let k = 0;
  for (let s = sitePointer; s < nSites; s++) {
    const sr = siteField(s, 0);
    if (sr < ref || (sr == ref && siteField(s, 1) < pos)) continue; // behind the read (pointer not yet moved)
    if (sr != ref || siteField(s, 1) >= recRefEnd) break;
    k++;
  }
  if (rowCount + k <= rowsCap && umiFill + 255 * k <= umiCap) return true;
  if (rowCount > 0) return false;
  if (k > rowsCap) {
    rowsCap = k;
    rows = alloc(<usize>(rowsCap * ROW_INTS) << 2);
  }
  if (255 * k > umiCap) {
    umiCap = 255 * k;
    umiArena = alloc(<usize>umiCap);
  }
  return true;
}

function saveName(slot: i32, p: usize): void {
  const n = <i32>load<u8>(p + 12) - 1;
  const at = NAMES + <usize>(slot * 256);
  store<u8>(at, <u8>n);
  memory.copy(at + 1, p + 36, <usize>n);
}

/**
 * First and last record of the piece, and the worker's first (deferral threshold). The last
 * record's virtual offset and name are taken lazily (snapLast): per record, only its position.
 */
function noteRecord(p: usize, ref: i32, pos: i32): void {
  if (pFirstRef == -2) {
    locate(cursor);
    pFirstRef = ref;
    pFirstPos = pos;
    pFirstCoff = vCoff;
    pFirstU = vU;
    saveName(0, p);
  }
  pLastRef = ref;
  pLastPos = pos;
  lastAt = cursor;
  if (firstRef == -2) {
    firstRef = ref;
    firstPos = pos;
  }
  pieceRecords++;
}

let lastAt: i32 = -1;

function snapLast(): void {
  if (lastAt < 0) return;
  locate(lastAt);
  pLastCoff = vCoff;
  pLastU = vU;
  saveName(1, buf + <usize>lastAt);
  lastAt = -1;
}

/** Classifies and tallies a checked record at every site it covers. */
function countRecord(p: usize, ref: i32, pos: i32): void {
  if (siteContigRef == -2) {
    locate(cursor);
    siteContigRef = ref;
    siteContigPos = pos;
    siteContigCoff = vCoff;
    siteContigU = vU;
    saveName(3, p);
  }
  const end = recRefEnd;
  if (siteField(sitePointer, 1) >= end) return;
  const flag = <i32>load<u16>(p + 18);
  const mapq = <i32>load<u8>(p + 13);
  const lSeq = load<i32>(p + 20);
  const passes = (flag & excludeFlags) == 0 && mapq >= minMapq;
  readsSeen += 1;
  contributed = true;
  if (passes) readsPassing += 1;
  if (!passes) return;
  setRead(pos, recCigar, recNCigar, recSeq, recQual, lSeq, end);
  const lName = <i32>load<u8>(p + 12);
  const tlen = load<i32>(p + 32);
  const paired = (flag & 1) != 0;
  // |TLEN|, with |-2^31| clamped to 2^31 - 1; unpaired: the aligned reference length.
  const fragLen = paired && tlen != 0 ? (tlen < 0 ? (tlen == i32.MIN_VALUE ? i32.MAX_VALUE : -tlen) : tlen) : <i32>min<i64>(<i64>end - <i64>pos, 0x7fffffff);
  const mateStart = paired ? load<i32>(p + 28) : -1;
  const mateSame = load<i32>(p + 24) == ref;
  const mayDefer = canDefer && ref == firstRef && mateStart <= firstPos;
  let hashed = false;
  let hHi: u32 = 0;
  let hLo: u32 = 0;
  for (let s = sitePointer; s < nSites; s++) {
    if (siteField(s, 0) != ref || siteField(s, 1) >= end) break;
    if (!classify(s)) continue;
    if (!hashed) {
      // Two independent 32-bit FNV-1a variants over the name (without its NUL).
      let a: u32 = 2166136261;
      let b: u32 = 0x9747b28c;
      for (let j = 0; j < lName - 1; j++) {
        const c = <u32>load<u8>(p + 36 + <usize>j);
        a = (a ^ c) * 16777619;
        b = (b ^ c) * 0x5bd1e995;
        b ^= b >>> 15;
      }
      hHi = a;
      hLo = b;
      hashed = true;
    }
    const code = cAllele | (cMarks << 8) | (cQual << 16);
    addObservation(s, code, flag, fragLen, pos, mateStart, mateSame, <i32>hHi, <i32>hLo, siteField(s, 1), mayDefer);
    if (emitRows) emitRow(p, s, code, flag, pos, mateStart, fragLen, hHi, hLo, mateSame);
  }
}

function emitRow(p: usize, s: i32, code: i32, flag: i32, pos: i32, mateStart: i32, fragLen: i32, hHi: u32, hLo: u32, mateSame: bool): void {
  const o = rows + (<usize>(rowCount * ROW_INTS) << 2);
  store<i32>(o, siteField(s, 7));
  store<i32>(o, code, 4);
  store<i32>(o, flag, 8);
  store<i32>(o, pos, 12);
  store<i32>(o, mateStart, 16);
  store<i32>(o, fragLen, 20);
  store<u32>(o, hHi, 24);
  store<u32>(o, hLo, 28);
  store<i32>(o, s, 32);
  store<i32>(o, mateSame ? 1 : 0, 36);
  if (umiTag >= 0) {
    findUmi(p, recAux, recEnd, umiTag);
    const n = min(umiLen, 255);
    memory.copy(umiArena + <usize>umiFill, umiAt, <usize>n);
    store<i32>(o, umiFill, 40);
    store<i32>(o, n, 44);
    umiFill += n;
  } else {
    store<i32>(o, 0, 40);
    store<i32>(o, 0, 44);
  }
  rowCount++;
}

// ---- results for JavaScript --------------------------------------------------------------------

export function getStatus(): i32 {
  return status;
}
export function getError(k: i32): f64 {
  switch (k) {
    case 0: return <f64>errorReason;
    case 1: return <f64>errorDetail;
    case 2: return <f64>errorPos;
    case 3: return errorCoff;
    case 4: return <f64>errorU;
    default: return errorValue;
  }
}
/** Piece summary: k selects a field (see src/count/kernel.ts, PIECE_FIELDS). */
export function getPiece(k: i32): f64 {
  snapLast();
  switch (k) {
    case 0: return <f64>pFirstRef;
    case 1: return <f64>pFirstPos;
    case 2: return pFirstCoff;
    case 3: return <f64>pFirstU;
    case 4: return <f64>pLastRef;
    case 5: return <f64>pLastPos;
    case 6: return pLastCoff;
    case 7: return <f64>pLastU;
    case 8: return endCoff;
    case 9: return <f64>endU;
    case 10: return <f64>skipFirst;
    case 11: return contributed ? 1 : 0;
    case 12: return <f64>pieceRecords;
    default: return 0;
  }
}
/** Worker summary: reads seen / passing, the first record on a site's contig. */
export function getWorker(k: i32): f64 {
  switch (k) {
    case 0: return readsSeen;
    case 1: return readsPassing;
    case 2: return <f64>siteContigRef;
    case 3: return <f64>siteContigPos;
    case 4: return siteContigCoff;
    default: return <f64>siteContigU;
  }
}
export function namesPtr(): usize {
  return NAMES;
}
export function bufPtr(): usize {
  return buf;
}
export function rowsPtr(): usize {
  return rows;
}
export function rowsCount(): i32 {
  return rowCount;
}
export function umiPtr(): usize {
  return umiArena;
}
/** The observation rows were copied out: start again from an empty buffer. */
export function rowsDrained(): void {
  rowCount = 0;
  umiFill = 0;
}
export function heapBase(): usize {
  return __heap_base;
}
/** Memory for JavaScript to pass rows in (the merge of boundary rows). */
export function scratch(bytes: i32): usize {
  return alloc(<usize>bytes);
}
