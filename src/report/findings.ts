import type { AssessmentClassification } from '../classify/types.js';
import { actionableFor, type ActionabilityRow } from '../reference/actionability.js';
import type { PatientTimeline, TimelineSite } from '../timeline/types.js';
import { levelInWords, type LevelWords } from './evidence-levels.js';
import { firstDetected, lastKeptIndex, leftOutDraws } from './identity.js';
import { geneProteinLabel, proteinNotation, variantLabel } from './labels.js';
import type { Finding, GeneTherapies, MatchedTherapy } from './types.js';
import { timelineSiteFlags, upstreamSiteFlags } from './upstream.js';

/**
 * "Findings at the last draw": what decided the group first, then every actionable site detected
 * in some draw, then other sites detected at the last draw by VAF. "Draw" is one classify keeps: a
 * draw whose identity check is discordant is never read as the patient's. A panel of 100 sites must
 * not push the chart off the first printed page, so only MAX_OTHER_FINDINGS of the other sites are
 * listed; the evidence table holds them all.
 */
export const MAX_OTHER_FINDINGS = 4;

/** Site keys that decided the group at this assessment. */
function decidingKeys(a: AssessmentClassification | undefined, t: PatientTimeline): Set<string> {
  const out = new Set<string>();
  if (!a) return out;
  if (a.group === 'oligoprogression_targetable') for (const m of a.targetable_mutations) out.add(m.key);
  if (a.group === 'widespread_progression' && a.molecular_progression === true) {
    // Molecular progression by several non-targetable sites emerging at one draw (rule 3's second arm).
    const r3 = a.rules.find((r) => r.id === 'rule3_molecular_progression');
    const emerged = r3?.inputs.emerged_nontargetable_sites;
    if (typeof emerged === 'string' && emerged) {
      const labels = new Set(emerged.split(';').map((x) => x.trim()));
      for (const s of t.sites) if (labels.has(`${s.gene} ${s.protein}`.trim())) out.add(s.key);
    }
  }
  return out;
}

/** Where a page's findings are read: the last kept draw (`at`) and the draws left out. */
interface ReadAt {
  at: number;
  leftOut: ReadonlySet<string>;
}

function finding(s: TimelineSite, where: ReadAt, drove: boolean, actionable: boolean, role: string, extraFlags: Finding['flags']): Finding {
  const last = s.points[where.at];
  // Left-out draws carry no event (withKeptEvents), so only the patient's own draws can match.
  const earlier = s.points
    .slice(0, where.at)
    .reverse()
    .find((p) => p.event === 'emerged' || p.event === 'rising');
  return {
    key: s.key,
    gene: s.gene,
    protein: proteinNotation(s.protein),
    label: variantLabel(s),
    last_date: last.collection_date,
    call: last.call,
    vaf: last.vaf,
    vaf_low: last.vaf_low,
    vaf_high: last.vaf_high,
    lod: last.lod,
    trend: last.event === 'baseline' ? '' : last.event,
    earlier_event: earlier ? { event: earlier.event, date: earlier.collection_date } : null,
    first_detected: firstDetected(s, where.leftOut),
    flags: [...timelineSiteFlags(s), ...extraFlags],
    drove_group: drove,
    actionable,
    role,
  };
}

export function buildFindings(
  t: PatientTimeline,
  latest: AssessmentClassification | undefined,
  rows: readonly ActionabilityRow[],
  roleOf: (s: TimelineSite) => string,
): { findings: Finding[]; more: number } {
  const leftOut = leftOutDraws(t);
  // A discordant tube may be another person's: its VAFs (or an actionable variant seen only in it)
  // must not be presented as the patient's, so findings are read at the last kept draw.
  const where: ReadAt = { at: lastKeptIndex(t.draws, leftOut), leftOut };
  if (where.at < 0) return { findings: [], more: 0 };
  const deciding = decidingKeys(latest, t);
  const flags = upstreamSiteFlags(latest);
  const drove: Finding[] = [];
  const actionable: Finding[] = [];
  const other: Finding[] = [];
  for (const s of t.sites) {
    const detectedEver = s.points.some((p) => p.call === 'detected' && !leftOut.has(p.sample));
    const detectedLast = s.points[where.at]?.call === 'detected';
    const isActionable = actionableFor(s.gene, s.protein, rows).length > 0;
    const f = finding(s, where, deciding.has(s.key), isActionable, roleOf(s), flags.get(s.key) ?? []);
    if (f.drove_group) drove.push(f);
    else if (isActionable && detectedEver) actionable.push(f);
    else if (detectedLast) other.push(f);
  }
  const byVaf = (a: Finding, b: Finding) => (b.vaf ?? 0) - (a.vaf ?? 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  // Findings of one gene stay together (genes in order of their highest VAF) so the gene's drugs
  // are listed once beside them.
  const geneOrder = (list: Finding[]) => {
    const rank = new Map<string, number>();
    [...list].sort(byVaf).forEach((f, i) => rank.has(f.gene) || rank.set(f.gene, i));
    return [...list].sort((a, b) => rank.get(a.gene)! - rank.get(b.gene)! || byVaf(a, b));
  };
  other.sort(byVaf);
  return {
    findings: [...geneOrder(drove), ...geneOrder(actionable), ...other.slice(0, MAX_OTHER_FINDINGS)],
    more: Math.max(0, other.length - MAX_OTHER_FINDINGS),
  };
}

/** Matched therapies per gene, in the order the genes first appear among the findings. */
export function buildTherapies(findings: Finding[], rows: readonly ActionabilityRow[], words: LevelWords): GeneTherapies[] {
  const genes: GeneTherapies[] = [];
  for (const f of findings) {
    if (!f.actionable) continue;
    let g = genes.find((x) => x.gene === f.gene);
    if (!g) {
      g = { gene: f.gene, findings: [], therapies: [] };
      genes.push(g);
    }
    g.findings.push(f.label);
    for (const r of actionableFor(f.gene, f.protein, rows)) {
      const existing = g.therapies.find((x) => x.row_id === r.id);
      if (existing) {
        existing.applies_to.push(f.label);
        continue;
      }
      g.therapies.push(therapy(r, f.label, words));
    }
  }
  return genes;
}

function therapy(r: ActionabilityRow, label: string, words: LevelWords): MatchedTherapy {
  const oncokb = levelInWords('OncoKB', r.oncokb_level, words);
  const escat = levelInWords('ESCAT', r.escat_tier, words);
  return {
    drugs: r.drugs,
    applies_to: [label],
    regulatory_status: r.regulatory_status,
    oncokb_level: oncokb.level,
    oncokb_words: oncokb.words,
    escat_tier: escat.level,
    escat_words: escat.words,
    levels_confirmed: oncokb.confirmed && escat.confirmed,
    as_of: r.regulatory_as_of,
    trial: r.pivotal_trial,
    reference: r.trial_reference,
    row_id: r.id,
    germline_row: r.origin === 'germline',
  };
}

/** classify's targetable list as `{gene, protein, event, date}` in the report's notation. */
export function targetableView(a: AssessmentClassification, dateOf: ReadonlyMap<string, string>) {
  return a.targetable_mutations.map((m) => ({
    gene: m.gene,
    protein: proteinNotation(m.protein),
    event: String(m.event),
    date: m.collection_date || dateOf.get(m.sample) || '',
    // Written by classification documents of policy version 1 (a rise from nadir); never by version 2.
    ...((m as { from_nadir_date?: string }).from_nadir_date
      ? { from_nadir_date: (m as { from_nadir_date?: string }).from_nadir_date }
      : {}),
    label: geneProteinLabel(m.gene, m.protein),
  }));
}
