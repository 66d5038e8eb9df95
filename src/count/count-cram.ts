import { CramReader } from '../io/cram/cram-reader.js';
import { BamRecordBuffer } from '../io/cram/record-to-bam.js';
import { fileError } from '../util/errors.js';
import { assemble, empty, type CountBamOptions } from './count-bam.js';
import { detectBuild } from './genome-build.js';
import { recordBatchCounter } from './record-batches.js';
import { siteSpec, sortSpecs, type SiteSpec } from './site-model.js';
import type { CountResult, CountSettings, ObservationTable, Site } from './types.js';

/** Records gathered before a kernel call: ~1 MB, as for BAM batches. */
const BATCH_BYTES = 1 << 20;

export interface CountCramOptions extends Omit<CountBamOptions, 'header'> {
  /** Indexed FASTA the CRAM was written against (needed unless every slice embeds its reference or none was used). */
  referencePath?: string;
}

/**
 * Counts alleles at `sites` in a coordinate-sorted CRAM: the slices the .crai lists at the sites
 * (every slice without one) are decoded into BAM records and scanned by the same kernel and tally
 * as a BAM, so the result equals `countBam` on the same reads (tests/cram/). Decoding runs in this
 * thread; `threads` is accepted for the same call shape and has no effect.
 */
export async function countCram(
  cramPath: string,
  sites: Site[],
  settings: CountSettings,
  opts: CountCramOptions = {},
): Promise<CountResult & { observations?: ObservationTable }> {
  if (cramPath === '-')
    throw fileError('-', 'CRAM cannot be read from standard input (it needs its .crai and random access); give the file');
  const reader = await CramReader.open(cramPath, { referencePath: opts.referencePath });
  try {
    const warnings: string[] = [...reader.warnings];
    if (!reader.hasIndex) warnings.push(`${cramPath}: no .crai index; decoding the whole CRAM in one sequential pass`);
    const refs = reader.header.refs;
    const refIdOf = new Map(refs.map((r, i) => [r.name, i]));
    const specs: SiteSpec[] = [];
    sites.forEach((site, i) => {
      const refId = refIdOf.get(site.chrom);
      if (refId === undefined) throw fileError(cramPath, `has no contig ${site.chrom} (site ${site.chrom}:${site.pos1})`);
      if (opts.region) {
        const inside = site.chrom === opts.region.chrom && site.pos1 - 1 >= opts.region.start0 && site.pos1 - 1 < opts.region.end0;
        if (!inside) return;
      }
      specs.push(siteSpec(site, i, refId));
    });
    const sorted = sortSpecs(specs);
    if (sorted.length === 0)
      return assemble(cramPath, sites, settings, { ...opts, header: reader.header }, warnings, empty(sorted), detectBuild(refs));
    const counter = recordBatchCounter({
      sorted,
      settings,
      engine: opts.engine ?? 'wasm',
      observations: Boolean(opts.observations || settings.umi),
      source: cramPath,
      refNames: refs.map((r) => r.name),
    });
    const slices = await reader.slicesAt(sorted.map((s) => ({ refId: s.refId, pos1: s.start0 + 1 })));
    const total = slices.reduce((n, s) => n + s.sliceBytes, 0);
    let done = 0;
    const buffer = new BamRecordBuffer();
    for (const slice of slices) {
      await reader.appendSlice(slice, buffer);
      done += slice.sliceBytes;
      if (buffer.length >= BATCH_BYTES) {
        counter.add(buffer.bytes, buffer.length);
        buffer.clear();
      }
      opts.onProgress?.(done, total);
      if (counter.finished) break;
    }
    counter.add(buffer.bytes, buffer.length);
    return assemble(cramPath, sites, settings, { ...opts, header: reader.header }, warnings, counter.result(), detectBuild(refs));
  } finally {
    reader.close();
  }
}
