/**
 * Which of a patient's sites count, and as what: each site's origin (tumour, clonal haematopoiesis,
 * germline-like) from the draws the rules may use and the white cells, and the clonal set chosen
 * outside the window. One function for an assessment and for a cohort's series, so that a cohort's
 * between-draw prior is estimated from the same kind of sites it is applied to. Pure.
 */
import { chooseClonalSet, type ClonalSet } from './clonal-set.js';
import type { PolicyRules } from './policy.js';
import { classifySiteOrigins, type SiteOrigin, type SiteOriginResult, type WhiteCellCounts } from './site-origin.js';
import type { ClassifyKnowledge } from './types.js';
import { predictiveDispersion } from '../stats/annotate.js';
import type { PatientTimeline } from '../timeline/types.js';

export interface SiteEvidence {
  origins: SiteOriginResult[];
  originOf: Map<string, SiteOrigin>;
  clonal: ClonalSet;
}

/** The white-cell counts of the sites a white-cell BAM was counted at, or null when none was. */
function whiteCellCounts(timeline: PatientTimeline): Map<string, WhiteCellCounts> | null {
  if (!timeline.sites.some((s) => s.white_cells)) return null;
  return new Map(
    timeline.sites
      .filter((s) => s.white_cells)
      .map((s): [string, WhiteCellCounts] => {
        const w = s.white_cells!;
        const dispersion = predictiveDispersion({
          dispersion: w.background_dispersion,
          priorDepth: w.background_observations ?? Infinity,
        });
        return [s.key, { alt: w.alt_count, depth: w.depth, backgroundRate: w.background_rate, dispersion }];
      }),
  );
}

/**
 * `usedIdx`: the draws the rules may use (the origins see only these); `beforeIdx`: the draws before
 * the window among them (the clonal set's baseline when there is no tumour VCF).
 */
export function siteEvidence(
  timeline: PatientTimeline,
  usedIdx: readonly number[],
  beforeIdx: readonly number[],
  knowledge: ClassifyKnowledge,
  rules: PolicyRules,
): SiteEvidence {
  const origins = classifySiteOrigins(
    timeline.sites.map((s) => ({
      key: s.key,
      gene: s.gene,
      protein: s.protein,
      tumourInformed: s.tumour_informed === true,
      tissueSomatic: s.tissue_somatic === true,
      panelOfNormals: s.germline_or_ch,
      points: usedIdx.map((d) => ({
        alt: s.points[d].alt_count,
        depth: s.points[d].depth,
        call: s.points[d].call,
        lod: s.points[d].lod,
      })),
    })),
    whiteCellCounts(timeline),
    knowledge.chProneGenes,
    rules,
  );
  const originOf = new Map(origins.map((o) => [o.key, o.origin]));
  const clonal = chooseClonalSet(
    timeline.sites.map((s) => ({
      key: s.key,
      gene: s.gene,
      protein: s.protein,
      tumourInformed: s.tumour_informed === true,
      origin: originOf.get(s.key)!,
      resistanceSite: knowledge.resistanceSite(s),
      points: s.points.map((p, d) => (usedIdx.includes(d) ? { call: p.call, vaf: p.vaf } : { call: 'low_depth' as const, vaf: null })),
    })),
    beforeIdx,
    rules,
  );
  return { origins, originOf, clonal };
}
