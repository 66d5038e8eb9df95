/**
 * Readers of a tumour-board page think in dates, not in sample IDs: classify's texts name samples
 * ("DEMO-04-D2 → DEMO-04-D4"), and the report shows each as its collection date instead.
 */

const ID_CHAR = /[A-Za-z0-9_-]/;
const ALNUM = /[A-Za-z0-9]/;

/** Is `text[i]` the start of a sample-ID-like token, or does `text[end]` continue one? */
function boundaryBefore(text: string, i: number): boolean {
  if (i === 0) return true;
  const c = text[i - 1];
  return !ID_CHAR.test(c) && c !== '.';
}

function boundaryAfter(text: string, end: number): boolean {
  if (end >= text.length) return true;
  const c = text[end];
  if (ID_CHAR.test(c)) return false;
  // "D5." ends a sentence; "D5.1" would be a longer ID.
  return !(c === '.' && end + 1 < text.length && ALNUM.test(text[end + 1]));
}

/** Positions of whole-token sample IDs in `text` (longest ID first at each position). */
export function findSamples(text: string, samples: readonly string[]): { sample: string; at: number }[] {
  const ids = [...new Set(samples)].filter((s) => s !== '').sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const out: { sample: string; at: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    if (!boundaryBefore(text, i)) continue;
    const hit = ids.find((s) => text.startsWith(s, i) && boundaryAfter(text, i + s.length));
    if (hit) {
      out.push({ sample: hit, at: i });
      i += hit.length - 1;
    }
  }
  return out;
}

/** `text` with every whole-token sample ID replaced by its collection date. */
export function withDates(text: string, dateOf: ReadonlyMap<string, string>): string {
  const hits = findSamples(text, [...dateOf.keys()]);
  if (hits.length === 0) return text;
  let out = '';
  let from = 0;
  for (const h of hits) {
    out += text.slice(from, h.at) + (dateOf.get(h.sample) ?? h.sample);
    from = h.at + h.sample.length;
  }
  return out + text.slice(from);
}
