/**
 * The clonal set: the sites whose pooled signal stands for the whole tumour. From the tumour VCF
 * when one was given (germline and CH removed); otherwise from sites detected in draws before the
 * assessment window, never chosen at the draws under test (choosing sites because they are high
 * in the window would bias the comparison toward a rise), and never from the first draw alone.
 */
import type { SiteCall } from '../timeline/types.js';
import type { PolicyRules } from './policy.js';
import { type SiteOrigin, countsAsTumour, label, pct } from './site-origin.js';

export interface ClonalCandidate {
  key: string;
  gene: string;
  protein: string;
  tumourInformed: boolean;
  origin: SiteOrigin;
  /** Acquired-resistance site (panel role `resistance`, e.g. ESR1 ligand-binding domain). */
  resistanceSite: boolean;
  /** One point per timeline draw (index = draw index). */
  points: { call: SiteCall; vaf: number | null }[];
}

export type ClonalSetMethod = 'tumour_vcf' | 'detected_before_window' | 'none';

export interface ClonalSet {
  keys: string[];
  method: ClonalSetMethod;
  /** For the rationale, e.g. "clonal set: 2 sites from the tumour VCF (TP53 p.R175H, PIK3CA p.E545K)". */
  text: string;
  /** Sites left out, with the reason (germline, CH, resistance subclone, below the relative VAF). */
  excluded: { key: string; label: string; reason: string }[];
}

const ORIGIN_WORDS: Record<SiteOrigin, string> = {
  tumour: 'tumour',
  panel_of_normals: 'in the panel of normals (germline or CH)',
  possible_ch: 'possible clonal haematopoiesis',
  ch_in_white_cells: 'clonal haematopoiesis (white cells)',
  germline_in_white_cells: 'germline (white cells)',
  germline_like: 'germline-like',
};

const sitesWord = (n: number) => (n === 1 ? '1 site' : `${n} sites`);

/**
 * @param beforeWindowIdx draws before the assessment window that classification may use (any
 *   therapy line: which sites are truncal is a property of the tumour, not of the line)
 */
export function chooseClonalSet(
  sites: readonly ClonalCandidate[],
  beforeWindowIdx: readonly number[],
  rules: Pick<PolicyRules, 'clonal_set'>,
): ClonalSet {
  const cs = rules.clonal_set;
  const excluded: ClonalSet['excluded'] = [];
  const usable = sites.filter((s) => {
    if (!countsAsTumour(s.origin)) {
      if (s.tumourInformed || s.points.some((p) => p.call === 'detected'))
        excluded.push({ key: s.key, label: label(s), reason: ORIGIN_WORDS[s.origin] });
      return false;
    }
    if (cs.exclude_resistance_sites && s.resistanceSite) {
      if (s.tumourInformed || s.points.some((p) => p.call === 'detected')) {
        excluded.push({ key: s.key, label: label(s), reason: 'acquired-resistance site, followed on its own' });
      }
      return false;
    }
    return true;
  });

  const informed = usable.filter((s) => s.tumourInformed);
  if (informed.length > 0) {
    return {
      keys: informed.map((s) => s.key),
      method: 'tumour_vcf',
      text: `clonal set: ${sitesWord(informed.length)} from the tumour VCF (${informed.map(label).join(', ')})`,
      excluded,
    };
  }

  // No tissue: sites detected before the window, at least min_detections times.
  const detectedBefore = (s: ClonalCandidate) => beforeWindowIdx.filter((d) => s.points[d]?.call === 'detected');
  const candidates = usable.filter((s) => detectedBefore(s).length >= cs.min_detections_before_window);
  if (candidates.length === 0) {
    const seenOnlyLater = usable.filter((s) => s.points.some((p) => p.call === 'detected')).map(label);
    return {
      keys: [],
      method: 'none',
      text:
        `no clonal set: no tumour VCF and no site detected ${cs.min_detections_before_window > 1 ? `${cs.min_detections_before_window} times ` : ''}before the window` +
        (seenOnlyLater.length > 0
          ? ` (${seenOnlyLater.join(', ')} detected only in the window: never chosen at the draws under test)`
          : ''),
      excluded,
    };
  }
  // Mean VAF over the draws before the window in which any candidate is detected: a site that is
  // at half the top site's level or more moves with the tumour (truncal), a lower one is a subclone.
  const draws = beforeWindowIdx.filter((d) => candidates.some((s) => s.points[d]?.call === 'detected'));
  const level = (s: ClonalCandidate) => draws.reduce((acc, d) => acc + (s.points[d]?.vaf ?? 0), 0) / draws.length;
  const top = Math.max(...candidates.map(level));
  const chosen = candidates.filter((s) => level(s) >= cs.min_relative_vaf * top);
  for (const s of candidates) {
    if (!chosen.includes(s))
      excluded.push({ key: s.key, label: label(s), reason: `subclonal (${pct(level(s))} against ${pct(top)} before the window)` });
  }
  return {
    keys: chosen.map((s) => s.key),
    method: 'detected_before_window',
    text: `clonal set: ${sitesWord(chosen.length)} detected before the window (${chosen.map(label).join(', ')})`,
    excluded,
  };
}
