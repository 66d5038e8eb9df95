import { readFileSync } from 'node:fs';
import { BamFile } from '@gmod/bam';
import type { Site } from '../count/types.js';

/**
 * Baseline for the benchmark: what a JavaScript user writes with @gmod/bam — one
 * getRecordsForRange per site and a plain CIGAR walk for SNV sites. Prints ref/alt per site.
 * Usage: node dist/bench/gmod-baseline.js BAM SITES.json
 */
const [bamPath, sitesPath] = process.argv.slice(2);
const sites = JSON.parse(readFileSync(sitesPath, 'utf8')) as Site[];
const bam = new BamFile({ bamPath });
await bam.getHeader();
const out: string[] = [];
for (const site of sites) {
  const pos0 = site.pos1 - 1;
  const records = await bam.getRecordsForRange(site.chrom, pos0, pos0 + 1);
  let ref = 0;
  let alt = 0;
  for (const rec of records) {
    if ((rec.flags & 0xf04) !== 0 || (rec.mq ?? 0) < 20) continue;
    const cigar = rec.NUMERIC_CIGAR;
    let r = rec.start;
    let q = 0;
    for (let i = 0; i < cigar.length; i++) {
      const op = cigar[i] & 0xf;
      const len = cigar[i] >>> 4;
      if (op === 0 || op === 7 || op === 8) {
        if (pos0 < r + len) {
          const qp = q + pos0 - r;
          const qual = rec.qual;
          if (!qual || qual[qp] >= 20) {
            const b = rec.seq[qp];
            if (b === site.ref) ref++;
            else if (b === site.alt) alt++;
          }
          break;
        }
        r += len;
        q += len;
      } else if (op === 1 || op === 4) q += len;
      else if (op === 2 || op === 3) {
        if (pos0 < r + len) break;
        r += len;
      }
    }
  }
  out.push(`${site.chrom}\t${site.pos1}\t${ref}\t${alt}`);
}
process.stdout.write(`${out.join('\n')}\n`);
