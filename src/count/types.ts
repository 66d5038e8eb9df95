/**
 * The counting contract shared by every stage. Coordinates: `pos1` is 1-based (as VCF and the TSV
 * output); anything named `start0`/`end0` is 0-based half-open (as BED and BAM).
 */

/** A known site to count: an SNV, MNV, insertion or deletion, in VCF-style allele notation. */
export interface Site {
  chrom: string;
  /** 1-based position of the first REF base (VCF POS; for indels the padding base). */
  pos1: number;
  ref: string;
  alt: string;
  gene: string;
  protein: string;
  id: string;
}

export type MatesMode = 'fragment' | 'reads';

/**
 * The per-site call the calling stage assigns (src/stats/annotate.ts) and every table prints: the
 * count table's `call`, the timeline's points, the classification's evidence. Declared with the
 * counting contract so that the count writers, which print it, need not reach up into stats/.
 */
export type SiteCall = 'detected' | 'not_detected' | 'low_depth';

/** Every SiteCall, in the order the documentation lists them. */
export const SITE_CALLS = ['detected', 'not_detected', 'low_depth'] as const satisfies readonly SiteCall[];

/** SAM flag bits. */
export const FLAG = {
  PAIRED: 0x1,
  PROPER_PAIR: 0x2,
  UNMAPPED: 0x4,
  MATE_UNMAPPED: 0x8,
  REVERSE: 0x10,
  MATE_REVERSE: 0x20,
  READ1: 0x40,
  READ2: 0x80,
  SECONDARY: 0x100,
  QCFAIL: 0x200,
  DUPLICATE: 0x400,
  SUPPLEMENTARY: 0x800,
} as const;

/** Default excluded flags: UNMAP, SECONDARY, QCFAIL, DUP, SUPPLEMENTARY (0xF04). */
export const DEFAULT_EXCLUDE_FLAGS = FLAG.UNMAPPED | FLAG.SECONDARY | FLAG.QCFAIL | FLAG.DUPLICATE | FLAG.SUPPLEMENTARY;

/** Everything that changes a count. Printed in every output's header/metadata. */
export interface CountSettings {
  minMapq: number; // default 20
  minBaseq: number; // default 20
  mates: MatesMode; // default 'fragment'
  excludeFlags: number; // default DEFAULT_EXCLUDE_FLAGS
  /** Count UMI families instead of reads (issue: calls at plasma allele fractions). */
  umi: boolean;
  /** Where the UMI comes from when `umi` is on. */
  umiSource: 'RX' | 'MI' | 'name';
  /** Keep families of one read when counting UMI families. */
  keepSingletons: boolean;
}

export const DEFAULT_COUNT_SETTINGS: CountSettings = {
  minMapq: 20,
  minBaseq: 20,
  mates: 'fragment',
  excludeFlags: DEFAULT_EXCLUDE_FLAGS,
  umi: false,
  umiSource: 'RX',
  keepSingletons: true,
};

/** Allele of one observation at a site. */
export const enum AlleleCode {
  REF = 0,
  ALT = 1,
  OTHER = 2,
}

/**
 * The counts at one site. With `mates: 'fragment'` a pair whose mates both cover the site counts
 * once; with UMI collapsing a count is a family. `raw*` are read-level counts before collapsing.
 */
export interface SiteCounts {
  site: Site;
  /** ref + alt + other (discordant mates excluded). */
  depth: number;
  refCount: number;
  altCount: number;
  /** Covering observations that passed filters but carry neither ref nor alt. */
  otherCount: number;
  /** Observations (of `otherCount` or not) with a deletion spanning the site's first base. */
  deletions: number;
  /** Observations with an insertion right after the site's first base. */
  insertions: number;
  /** Alt observations on forward / reverse strand (of the read; for merged mates, of read 1). */
  altFwd: number;
  altRev: number;
  /** Fragments whose two overlapping mates disagreed at the site (counted in neither ref nor alt). */
  discordantMates: number;
  /** Mean |TLEN| of ref- and alt-supporting fragments (NaN when none). */
  meanFragLenRef: number;
  meanFragLenAlt: number;
  /** Read-level counts before mate merging / UMI collapsing. */
  rawRefCount: number;
  rawAltCount: number;
  /** UMI families counted (0 when UMI collapsing is off). */
  families: number;
}

/** Result of counting one BAM. Deterministic: rows are in the order of the input sites. */
export interface CountResult {
  sample: string;
  bamPath: string;
  settings: CountSettings;
  rows: SiteCounts[];
  /** Genome build detected from the BAM header contig lengths ('GRCh38' | 'GRCh37' | 'unknown'). */
  build: string;
  /** Reads seen / passing filters: for QC and for the in-sample background. */
  readsSeen: number;
  readsPassing: number;
  warnings: string[];
}

/**
 * Per-read observations at the sites, columnar (no per-record objects). Produced by the scan when
 * a later step needs more than totals: UMI family collapsing and fragment-length distributions.
 * Row i describes one read (not yet mate-merged) at site `site[i]`.
 */
export interface ObservationTable {
  length: number;
  /** Index into the input sites. */
  site: Int32Array;
  /** AlleleCode of the read at the site (before the base-quality filter was applied: see `qual`). */
  allele: Uint8Array;
  /** Base quality at the site (for indels: as documented in the README); 255 = missing ('*'). */
  qual: Uint8Array;
  /** SAM flag of the read. */
  flag: Uint16Array;
  /** 0-based leftmost position of the read's alignment. */
  readStart0: Int32Array;
  /** 0-based leftmost position of the mate (pnext), -1 when unpaired. */
  mateStart0: Int32Array;
  /** |TLEN| for pairs; aligned read length for unpaired reads. */
  fragLen: Int32Array;
  /** Read-name hash (two 32-bit halves), to pair mates without keeping the names. */
  nameHashHi: Uint32Array;
  nameHashLo: Uint32Array;
  /** UMI string of the read ('' when none / UMI collapsing off). */
  umi: string[];
}
