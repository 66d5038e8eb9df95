import { basename } from 'node:path';
import { warn } from '../util/log.js';

/** The sample name: `explicit`, else the single SM of the header's @RG lines, else the file name without its extension. */
export function sampleNameFromHeader(explicit: string | undefined, headerText: string, path: string): string {
  if (explicit !== undefined) return explicit;
  const names = new Set<string>();
  for (const line of headerText.split('\n')) {
    if (!line.startsWith('@RG\t')) continue;
    const sm = line.split('\t').find((f) => f.startsWith('SM:'));
    if (sm && sm.length > 3) names.add(sm.slice(3));
  }
  if (names.size === 1) return [...names][0];
  const stem = path === '-' ? 'stdin' : basename(path).replace(/\.(bam|cram|sam)$/i, '');
  if (names.size > 1)
    warn(`${path}: read groups name ${names.size} samples (${[...names].sort().join(', ')}); using ${stem}, give --sample to choose`);
  return stem;
}
