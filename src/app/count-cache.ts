import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { CountSettings, Site, SiteCounts } from '../count/types.js';
import { writeOutput } from '../io/output.js';
import { sha256File } from '../store/canonical.js';
import { UserError } from '../util/errors.js';
import { VERSION } from '../version.js';

/**
 * The counts cache of track and run (DIR/counts/<name>.json): a count is reused when the tool
 * version, the file's bytes, the sites and every count setting are the same.
 */

// 2: keyed on the SHA-256 of the BAM's bytes (format 1 used size + mtime).
const CACHE_FORMAT = 2;

/**
 * The cache key of one count: tool version, the SHA-256 of the alignment file's bytes, the sites
 * (as given to the engine) and every count setting; for a CRAM also the SHA-256 of its reference's
 * .fai, so a changed FASTA is seen. Keyed on content, so a BAM copied or touched is reused and one
 * rewritten in place with the same size is not. The index is left out: counts do not depend on
 * which valid index located the chunks. Hashing streams the file at ~0.5 s per 200 MB
 * (docs/tracking.md), below a count of the same BAM.
 */
export function countCacheKey(bamSha256: string, sites: readonly Site[], settings: CountSettings, referenceFaiSha256?: string): string {
  const payload = JSON.stringify({
    format: CACHE_FORMAT,
    version: VERSION,
    bam_sha256: bamSha256,
    ...(referenceFaiSha256 !== undefined ? { reference_fai_sha256: referenceFaiSha256 } : {}),
    sites: sites.map((s) => [s.chrom, s.pos1, s.ref, s.alt, s.gene, s.protein, s.id]),
    settings,
  });
  return createHash('sha256').update(payload).digest('hex');
}

/**
 * Hashes already taken in this process, keyed by file identity (device, inode, size, mtime): `run`
 * counts every draw and then tracks the same files; without this each would be read twice
 * (~0.5 s per 200 MB each time). Only within one process: the persistent keys stay on content.
 */
const hashMemo = new Map<string, string>();

/** SHA-256 of a file's bytes; an unreadable file is the user's error (one line, exit 1). */
export async function contentSha256(path: string, what = 'BAM'): Promise<string> {
  try {
    const st = statSync(path);
    const id = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
    const known = hashMemo.get(id);
    if (known) return known;
    const hash = await sha256File(path);
    hashMemo.set(id, hash);
    return hash;
  } catch (e) {
    throw new UserError(`${path}: cannot read ${what} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** One cached count: the rows in the engine's site order, with the sites' own naming. */
export interface CachedCount {
  build: string;
  readsSeen: number;
  readsPassing: number;
  rows: SiteCounts[];
}

interface CacheFile {
  cache_format: number;
  key: string;
  sample: string;
  bam: string;
  build: string;
  reads_seen: number;
  reads_passing: number;
  rows: SiteCounts[];
}

// JSON has no NaN: mean fragment lengths without supporting reads are stored as null.
const FRAG_FIELDS = ['meanFragLenRef', 'meanFragLenAlt'] as const;

/** The cached count under `key`, or null (absent, another key, or unreadable: count again). */
export function readCachedCount(file: string, key: string): CachedCount | null {
  if (!existsSync(file)) return null;
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
    if (c.cache_format !== CACHE_FORMAT || c.key !== key || !Array.isArray(c.rows)) return null;
    for (const r of c.rows) for (const f of FRAG_FIELDS) if (r[f] === null) r[f] = Number.NaN;
    return { build: c.build, readsSeen: c.reads_seen, readsPassing: c.reads_passing, rows: c.rows };
  } catch {
    return null;
  }
}

export function writeCachedCount(file: string, key: string, sample: string, bamPath: string, count: CachedCount): void {
  const c: CacheFile = {
    cache_format: CACHE_FORMAT,
    key,
    sample,
    bam: bamPath,
    build: count.build,
    reads_seen: count.readsSeen,
    reads_passing: count.readsPassing,
    rows: count.rows,
  };
  writeOutput(file, `${JSON.stringify(c, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`);
}
