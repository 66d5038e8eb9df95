/**
 * Targetable findings at an assessment. Three separate questions, never merged into one label:
 * - detected in the window: the site's per-draw detection p-values in the window (Bonferroni over
 *   the window draws of the site), Benjamini–Hochberg across the patient's targetable sites, FDR
 *   at targetable.detection_fdr; shown with the draw, its VAF and its limit of detection;
 * - its history: newly emerged (first detected in the window), emerged on the current line,
 *   present since the first draw, or known since baseline (in the tissue);
 * - rising: only from the longitudinal model's per-site trend (at least the policy fold from the
 *   site's own nadir phase of the current line, BH across the sites), and only for sites outside
 *   the clonal set (a truncal site rises with the tumour, never as a subclone; a subclone rising
 *   with the whole tumour is diffuse progression, which takes precedence in the group).
 * Whether it makes the group (`qualifies`) then depends on the current therapy: an alteration that
 * resists the drug class being given (ESR1 LBD on an aromatase inhibitor) qualifies whatever its
 * history; one whose matched drugs are all being given does not; otherwise a new or rising finding
 * qualifies and one known since baseline follows targetable.known_since_baseline. Pure.
 */
import type { SiteCall } from '../timeline/types.js';
import { intervalWords } from './assessment-window.js';
import type { FindingHistory, FindingTrend, TargetableFinding } from './finding.js';
import { benjaminiHochberg } from './multiplicity.js';
import type { PolicyRules } from './policy.js';
import { type SiteOrigin, countsAsTumour, label, pct } from './site-origin.js';
import type { ActionabilityMatch, ClassifyKnowledge, KnowledgeSite, TargetableMutation } from './types.js';

export type { FindingHistory, TargetableFinding } from './finding.js';

/** The part of the reference knowledge the targetable findings use. */
export type DrugKnowledge = Pick<ClassifyKnowledge, 'targetable' | 'agents' | 'resists'>;

export interface TargetableSite extends KnowledgeSite {
  key: string;
  origin: SiteOrigin;
  tumourInformed: boolean;
  inClonalSet: boolean;
  /** One point per timeline draw. */
  points: {
    sample: string;
    collection_date: string;
    alt_count: number;
    depth: number;
    vaf: number | null;
    call: SiteCall;
    p_value: number | null;
    lod: number | null;
  }[];
}

export interface TargetableInput {
  sites: readonly TargetableSite[];
  /** Window draws with their day offsets. */
  window: readonly { index: number; daysFromScan: number }[];
  /** Draws used before the window, split by line. */
  baselineIdx: readonly number[];
  earlierLineIdx: readonly number[];
  /** The current therapy string (clinical.csv), or null when unknown. */
  currentTherapy: string | null;
  /** The model's per-site trend at the window; null when the model has none. */
  trend: (key: string) => FindingTrend | null;
}

const classWords = (c: string) => c.replace(/_/g, ' ');
const fmtQ = (q: number) => (q === 0 ? '< 1e-300' : q < 1e-4 ? q.toExponential(1) : q.toPrecision(2));

const HISTORY_WORDS: Record<FindingHistory, string> = {
  newly_emerged: 'newly emerged',
  emerged_on_line: 'emerged on the current therapy',
  present_since_first_draw: 'present since the first draw',
  known_since_baseline: 'known since baseline (tissue)',
  truncal: 'truncal (in the clonal set: moves with the tumour)',
};

export function targetableFindings(
  input: TargetableInput,
  drugs: DrugKnowledge,
  rules: Pick<PolicyRules, 'targetable'>,
): TargetableFinding[] {
  const t = rules.targetable;
  const candidates = input.sites
    .map((s) => ({ s, hit: drugs.targetable(s) }))
    .filter((x): x is { s: TargetableSite; hit: ActionabilityMatch } => x.hit !== null && countsAsTumour(x.s.origin));

  // Per-site p: the smallest window p-value, Bonferroni over the site's informative window draws.
  const perSite = candidates.map(({ s }) => {
    let best: { index: number; daysFromScan: number; p: number } | null = null;
    let n = 0;
    for (const w of input.window) {
      const pt = s.points[w.index];
      if (!pt || pt.call === 'low_depth') continue;
      n++;
      const p = pt.p_value ?? 1;
      if (best === null || p < best.p) best = { index: w.index, daysFromScan: w.daysFromScan, p };
    }
    return best === null ? { best, p: 1 } : { best, p: Math.min(1, best.p * n) };
  });
  const q = benjaminiHochberg(perSite.map((x) => x.p));

  const current = input.currentTherapy ? drugs.agents(input.currentTherapy) : { agents: [], unknown: [] };
  const currentClasses = [...new Set(current.agents.map((a) => a.drugClass))];
  const currentAgents = current.agents.map((a) => a.agent);
  const firstLineDraw = [...input.baselineIdx, ...input.window.map((w) => w.index)].sort((a, b) => a - b)[0];

  return candidates.map(({ s, hit }, i): TargetableFinding => {
    const name = label(s);
    const best = perSite[i].best;
    const detected = best !== null && q[i] <= t.detection_fdr;
    const detectedAt = (d: number) => s.points[d]?.call === 'detected';
    let history: FindingHistory | null = null;
    if (detected) {
      // A site of the clonal set is truncal by construction: it appears and rises with the whole
      // tumour, so it is never a new or rising subclone, whatever its first detection.
      if (s.tumourInformed) history = 'known_since_baseline';
      else if (s.inClonalSet) history = 'truncal';
      else if (detectedAt(0)) history = 'present_since_first_draw';
      else if (
        input.earlierLineIdx.some(detectedAt) ||
        (firstLineDraw !== undefined && detectedAt(firstLineDraw) && !input.window.some((w) => w.index === firstLineDraw))
      ) {
        history = 'known_since_baseline';
      } else if (input.baselineIdx.some(detectedAt)) history = 'emerged_on_line';
      else history = 'newly_emerged';
    }
    const trend = s.inClonalSet ? null : input.trend(s.key);

    const matched = hit.therapies.flatMap((th) => drugs.agents(th).agents).filter((a) => a.targets.includes(s.gene.toUpperCase()));
    const matchedAgents = [...new Set(matched.map((a) => a.agent))];
    const matchedClasses = [...new Set(matched.map((a) => a.drugClass))];
    const differs = matchedClasses.some((c) => !currentClasses.includes(c));
    const given = matched.filter((a) => currentAgents.includes(a.agent) || currentClasses.includes(a.drugClass)).map((a) => a.agent);
    const resistsCurrent = drugs.resists(s.gene, s.protein).filter((c) => currentClasses.includes(c));

    let qualifies = false;
    let why: string;
    const known = history === 'known_since_baseline' || history === 'present_since_first_draw' || history === 'truncal';
    if (!detected) why = 'not detected in the window';
    else if (resistsCurrent.length > 0) {
      qualifies = true;
      const resisted = current.agents.filter((a) => resistsCurrent.includes(a.drugClass)).map((a) => a.agent);
      why = `resists the current ${resistsCurrent.map(classWords).join(', ')} (${resisted.join(', ')})`;
    } else if (!differs) why = `its matched drugs are already given (${[...new Set(given)].join(', ')})`;
    else if (history === 'newly_emerged' || history === 'emerged_on_line') {
      qualifies = true;
      why = 'a new finding on the current therapy';
    } else if (trend?.status === 'rising') {
      qualifies = true;
      why = `rising on the current therapy (${trend.text})`;
    } else if (known && t.known_since_baseline === 'qualify') {
      qualifies = true;
      why = 'known since baseline; counted by policy (targetable.known_since_baseline = qualify)';
    } else if (history === 'truncal')
      why =
        'it moves with the tumour rather than emerging as a resistance clone: shown, not counted (targetable.known_since_baseline = show)';
    else why = 'known when the current therapy was chosen: shown, not counted (targetable.known_since_baseline = show)';

    if (detected && input.currentTherapy && current.agents.length === 0) {
      why += ` (current therapy '${input.currentTherapy}' not recognised: its drug classes are unknown, so only a new or rising finding counts)`;
    }
    const pt = best ? s.points[best.index] : null;
    const draw =
      best && pt
        ? {
            index: best.index,
            sample: pt.sample,
            date: pt.collection_date,
            daysFromScan: best.daysFromScan,
            alt: pt.alt_count,
            depth: pt.depth,
            vaf: pt.vaf,
            lod: pt.lod,
          }
        : null;
    const drugsText = matchedAgents.length > 0 ? matchedAgents.join(', ') : hit.therapies.join('; ');
    let text: string;
    if (!detected) text = `${name} (actionable: ${drugsText}) not detected in the window${draw ? ` (best q = ${fmtQ(q[i])})` : ''}`;
    else {
      const where = `${draw!.alt}/${draw!.depth} reads, ${pct(draw!.vaf ?? 0)}${draw!.lod !== null ? `, LoD ${pct(draw!.lod)}` : ''}, q = ${fmtQ(q[i])}; ${draw!.sample} ${intervalWords(draw!.daysFromScan)}`;
      const trendText =
        trend && trend.status === 'rising' && why.startsWith('rising')
          ? ''
          : trend && trend.status === 'rising'
            ? `; rising (${trend.text})`
            : '';
      text = qualifies
        ? `${name} detected in the window (${where}), ${HISTORY_WORDS[history!]}${trendText}; ${why}; matched: ${drugsText}`
        : `${name}: actionable (${drugsText}), ${HISTORY_WORDS[history!]}, detected in the window at ${pct(draw!.vaf ?? 0)}${draw!.lod !== null ? ` (LoD ${pct(draw!.lod)})` : ''}; ${why}`;
    }
    return {
      key: s.key,
      gene: s.gene,
      protein: s.protein,
      label: name,
      detected,
      qValue: q[i],
      draw,
      history,
      trend,
      therapies: hit.therapies,
      source: hit.source,
      matchedAgents,
      currentClasses,
      unknownTherapyWords: current.unknown,
      differs,
      resistsCurrent,
      qualifies,
      why,
      text,
    };
  });
}

/**
 * The classification document's record of a qualifying finding: newly emerged → 'emerged', rising
 * (the longitudinal model's per-site trend) → 'rising', otherwise 'detected' (in the window, with
 * its history: present since the first draw, known since baseline, …).
 */
export function toTargetableMutation(f: TargetableFinding): TargetableMutation {
  if (!f.detected || f.draw === null || f.history === null) throw new Error(`${f.label}: only a detected finding has a record`);
  return {
    gene: f.gene,
    protein: f.protein,
    key: f.key,
    event: f.history === 'newly_emerged' ? 'emerged' : f.trend?.status === 'rising' ? 'rising' : 'detected',
    sample: f.draw.sample,
    collection_date: f.draw.date,
    vaf: f.draw.vaf,
    // The model's trend carries an interval, not a single two-count p-value.
    change_p_value: null,
    therapies: f.therapies,
    source: f.source,
    history: f.history,
    q_value: f.qValue,
    lod: f.draw.lod,
  };
}
