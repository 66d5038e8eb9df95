import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileError } from '../util/errors.js';
import { sha256File } from './canonical.js';
import { parseCountDocument, type CountDocument } from './count-document.js';
import type { CohortStore, IngestOutcome } from './store.js';

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw fileError(path, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/**
 * Where the BAM named in a count document is now: as written (relative to the working directory),
 * else relative to the count file's own directory (pipelines often move the two together).
 */
function locateBam(bam: string, countFile: string): string | undefined {
  if (isAbsolute(bam)) return existsSync(bam) ? bam : undefined;
  for (const candidate of [resolve(bam), resolve(dirname(countFile), bam)]) if (existsSync(candidate)) return candidate;
  return undefined;
}

/**
 * Ingest one count JSON file (and optionally its summary text) into the store. The BAM content
 * hash is taken from the document when it records one, else computed from the BAM it names.
 */
export async function ingestCountFile(store: CohortStore, countFile: string, summaryText?: string): Promise<IngestOutcome> {
  return ingestCountDocument(store, parseCountDocument(readText(countFile), countFile), countFile, summaryText);
}

/** As `ingestCountFile`, for a document already parsed from `countFile`. */
export async function ingestCountDocument(
  store: CohortStore,
  count: CountDocument,
  countFile: string,
  summaryText?: string,
): Promise<IngestOutcome> {
  let bamSha256 = count.bamSha256;
  if (!bamSha256) {
    const bam = locateBam(count.bamPath, countFile);
    if (!bam) throw fileError(countFile, `BAM "${count.bamPath}" not found, so its content hash cannot be computed`);
    try {
      bamSha256 = await sha256File(bam);
    } catch (e) {
      throw fileError(bam, `cannot read BAM to hash it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  return store.ingestCount({ count, bamSha256, summaryText });
}

export { readText };
