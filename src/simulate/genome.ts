import { canonicalContig } from '../count/contigs.js';
import { GENOME_BUILDS, type GenomeBuildName } from '../count/genome-build.js';

/**
 * The BAM header of a simulated sample: every primary contig of the build (so build detection
 * from header lengths works as on a real BAM), named in the sites' style (`chr1`/`chrM` when the
 * sites use a `chr` prefix, else `1`/`MT`), plus any other contig the sites use, with its length
 * from `--contig-length` or the sites file's `##contig` lines.
 */
export function simulationRefs(
  siteContigs: string[],
  build: GenomeBuildName,
  explicitLengths: Map<string, number>,
  fileLengths: Map<string, number>,
): { refs: { name: string; length: number }[]; missing: string[] } {
  const ucsc = siteContigs.some((c) => /^chr/i.test(c));
  const refs = GENOME_BUILDS[build].contigs.map((c) => ({
    name: ucsc ? (c.name === 'MT' ? 'chrM' : `chr${c.name}`) : c.name,
    length: c.length,
  }));
  // Site contigs written the other way (e.g. `6` among `chr` sites) use the site's own spelling.
  for (const sc of siteContigs) {
    const i = refs.findIndex((r) => r.name !== sc && canonicalContig(r.name) === canonicalContig(sc));
    if (i >= 0 && !refs.some((r) => r.name === sc)) refs[i] = { name: sc, length: refs[i].length };
  }
  for (const [name, length] of explicitLengths) {
    const i = refs.findIndex((r) => r.name === name);
    if (i >= 0) refs[i] = { name, length };
    else refs.push({ name, length });
  }
  const missing: string[] = [];
  for (const sc of new Set(siteContigs)) {
    if (refs.some((r) => r.name === sc)) continue;
    const len = fileLengths.get(sc);
    if (len !== undefined) refs.push({ name: sc, length: len });
    else missing.push(sc);
  }
  return { refs, missing };
}
