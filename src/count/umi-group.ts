/**
 * UMI grouping by UMI-tools' directional method (Smith, Heger & Sudbery 2017, Genome Research
 * 27:491, "UMI-tools: modeling sequencing errors in Unique Molecular Identifiers"): within one
 * fragment position, UMIs are nodes; an edge a→b exists when edit(a, b) ≤ 1 and
 * count(a) ≥ 2·count(b) − 1 (b is plausibly a sequencing error of a). Starting from the most
 * frequent UMI, everything reachable along edges joins its group; each group is one molecule.
 */
import { distance } from 'fastest-levenshtein';

export const MAX_UMI_EDIT = 1;

/** Directed edge test of the directional rule. */
export function directionalEdge(countA: number, countB: number): boolean {
  return countA >= 2 * countB - 1;
}

/**
 * Groups UMIs (with their read counts) into molecules. Returns, for every input UMI, the UMI that
 * represents its group (the group's most frequent UMI; ties broken by string order so the result
 * never depends on input order).
 */
export function groupUmisDirectional(counts: Map<string, number>): Map<string, string> {
  const umis = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
  const edges: number[][] = umis.map(() => []);
  for (let i = 0; i < umis.length; i++) {
    for (let j = i + 1; j < umis.length; j++) {
      const a = umis[i];
      const b = umis[j];
      if (Math.abs(a.length - b.length) > MAX_UMI_EDIT) continue;
      if (distance(a, b) > MAX_UMI_EDIT) continue;
      const ca = counts.get(a)!;
      const cb = counts.get(b)!;
      if (directionalEdge(ca, cb)) edges[i].push(j);
      if (directionalEdge(cb, ca)) edges[j].push(i);
    }
  }
  const representative = new Map<string, string>();
  for (let root = 0; root < umis.length; root++) {
    if (representative.has(umis[root])) continue;
    // Breadth-first from the most frequent unassigned UMI; nodes already in a group stay there
    // (anything reachable through them was reached from their own, earlier root).
    const queue = [root];
    representative.set(umis[root], umis[root]);
    for (let q = 0; q < queue.length; q++) {
      for (const next of edges[queue[q]]) {
        if (representative.has(umis[next])) continue;
        representative.set(umis[next], umis[root]);
        queue.push(next);
      }
    }
  }
  return representative;
}

/**
 * The UMI as seen from the other strand of a duplex molecule: `A-B` ↔ `B-A` (fgbio's paired/duplex
 * convention for RX tags with two halves). A single-part UMI is its own partner.
 */
export function duplexPartnerUmi(umi: string): string {
  const sep = umi.indexOf('-');
  if (sep < 0) return umi;
  return `${umi.slice(sep + 1)}-${umi.slice(0, sep)}`;
}
