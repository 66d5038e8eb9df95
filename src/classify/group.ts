/**
 * The group and its rationale, from the findings of the other policy modules. Precedence:
 * 1. no progressing lesion → no_progression (molecular and targetable findings still stated);
 * 2. more lesions than the oligo threshold → widespread_progression (radiological);
 * 3. no ctDNA draw in the window, or a window draw that is not the patient's (identity check) →
 *    indeterminate;
 * 4. diffuse molecular progression shown (the model's verdict, a return above the floor, or
 *    several non-targetable tumour sites emerging at one draw) → widespread_progression;
 * 5. a qualifying targetable finding → oligoprogression_targetable; when diffuse progression is
 *    undecided the group stands and the rationale says "diffuse progression not excluded";
 * 6. diffuse progression ruled out (by the model, or a return below the floor) → true_oligoprogression;
 * 7. otherwise indeterminate: ctDNA cannot exclude diffuse progression.
 * Pure: the same findings give the same words.
 */
import type { ClonalSet } from './clonal-set.js';
import type { CtdnaReturn } from './ctdna-return.js';
import type { ChangeVerdict } from './model.js';
import type { SiteOriginResult } from './site-origin.js';
import type { TargetableFinding } from './targetable-findings.js';
import type { GroupId } from './types.js';

export type DiffuseStatus = 'shown' | 'ruled_out' | 'undecided';

export interface EmergedEvidence {
  /** Non-targetable tumour sites (CH and germline excluded) that emerged at one window draw. */
  count: number;
  sample: string;
  labels: string[];
}

export interface GroupInputs {
  /** The oligo count (progressing lesions, or new lesions when more). */
  lesions: number;
  newLesions: number;
  maxOligo: number;
  /** Non-null when the window holds no draw. */
  windowProblem: string | null;
  /** Non-null when a window draw failed the identity check (possible sample swap): why. */
  identityProblem: string | null;
  /** Window draws and their interval to the scan. */
  windowText: string;
  /** The baseline: current line and earlier lines. */
  baselineText: string;
  clonalSet: ClonalSet;
  /** The model's verdict; null when it could not be asked (no clonal set). */
  molecular: ChangeVerdict | null;
  ctdnaReturn: CtdnaReturn;
  emerged: EmergedEvidence | null;
  minEmerged: number;
  findings: readonly TargetableFinding[];
  origins: readonly SiteOriginResult[];
  /** What limits the assessment, stated last ("Caveats: …"). */
  caveats: readonly string[];
}

export interface GroupDecision {
  group: GroupId;
  diffuse: DiffuseStatus | null;
  /** true shown, false ruled out, null undecided or not looked at. */
  molecularProgression: boolean | null;
  indeterminateReason: string | null;
  rationale: string;
}

const lesionWords = (n: number) => `${n} progressing lesion${n === 1 ? '' : 's'}`;

/** Whether diffuse molecular progression is shown, ruled out or undecided, and the words why. */
export function diffuseStatus(i: Pick<GroupInputs, 'molecular' | 'ctdnaReturn' | 'emerged' | 'minEmerged' | 'clonalSet'>): {
  status: DiffuseStatus;
  why: string;
} {
  const m = i.molecular;
  if (i.ctdnaReturn.status === 'above_floor') return { status: 'shown', why: i.ctdnaReturn.text };
  if (i.emerged && i.emerged.count >= i.minEmerged) {
    return {
      status: 'shown',
      why: `${i.emerged.count} non-targetable tumour sites emerged at ${i.emerged.sample} (${i.emerged.labels.join(', ')})`,
    };
  }
  if (i.ctdnaReturn.status === 'below_floor') return { status: 'ruled_out', why: i.ctdnaReturn.text };
  if (m === null) return { status: 'undecided', why: i.clonalSet.text };
  if (m.decision === 'progression') return { status: 'shown', why: m.text };
  if (m.decision === 'ruled_out') return { status: 'ruled_out', why: m.text };
  return { status: 'undecided', why: m.text };
}

function originSentences(origins: readonly SiteOriginResult[]): string[] {
  const out: string[] = [];
  const possible = origins.filter((o) => o.origin === 'possible_ch');
  const noWhiteCells = possible.filter((o) => o.whiteCells === null);
  if (noWhiteCells.length > 0) {
    out.push(
      `${noWhiteCells.map((o) => o.label).join(', ')} (plasma only, CH-prone gene${noWhiteCells.length > 1 ? 's' : ''}, not in the tissue): possible clonal haematopoiesis: white-cell sequencing recommended; never counted as tumour.`,
    );
  }
  for (const o of possible.filter((x) => x.whiteCells !== null)) out.push(`${o.reason}; never counted as tumour.`);
  for (const o of origins.filter(
    (x) =>
      x.origin === 'ch_in_white_cells' ||
      x.origin === 'germline_in_white_cells' ||
      x.origin === 'germline_like' ||
      x.origin === 'panel_of_normals',
  )) {
    out.push(`${o.reason}.`);
  }
  return out;
}

export function decideGroup(i: GroupInputs): GroupDecision {
  // The dominant clone first, as in targetable_mutations.
  const qualifying = i.findings.filter((f) => f.qualifies).sort((a, b) => (b.draw?.vaf ?? 0) - (a.draw?.vaf ?? 0));
  const shownOnly = i.findings.filter((f) => f.detected && !f.qualifies);
  const targetText = qualifying.length > 0 ? ` Targetable: ${qualifying.map((f) => f.text).join('; ')}.` : '';
  const alsoText = shownOnly.length > 0 ? ` Also actionable: ${shownOnly.map((f) => f.text).join('; ')}.` : '';
  const notes = originSentences(i.origins);
  const noteText = notes.length > 0 ? ` ${notes.join(' ')}` : '';
  const newText = i.newLesions > 0 ? ` (${i.newLesions} new lesion${i.newLesions === 1 ? '' : 's'})` : '';
  /** The ctDNA sentence; the model's own words are left out when the lead already quotes them. */
  const ctdna = (quoted: string | null) =>
    i.windowProblem
      ? ''
      : ` ctDNA: ${i.windowText}; ${i.baselineText}; ${i.clonalSet.text}${i.molecular && i.molecular.text !== quoted ? `; ${i.molecular.text}` : ''}.`;
  const ctdnaText = ctdna(null);
  const caveatText = i.caveats.length > 0 ? ` Caveats: ${i.caveats.join('; ')}.` : '';
  const tail = `${targetText}${alsoText}${noteText}${caveatText}`;

  if (i.lesions === 0) {
    const d = i.windowProblem ? null : diffuseStatus(i);
    const mol =
      d?.status === 'shown'
        ? ` ctDNA shows molecular progression without radiological progression (${d.why}); the imaging decides the group.`
        : '';
    return {
      group: 'no_progression',
      diffuse: d?.status ?? null,
      molecularProgression: d ? (d.status === 'shown' ? true : d.status === 'ruled_out' ? false : null) : null,
      indeterminateReason: null,
      rationale: `No progressing lesion at this assessment.${mol}${ctdnaText}${tail}`,
    };
  }
  if (i.lesions > i.maxOligo) {
    const d = i.windowProblem ? null : diffuseStatus(i);
    return {
      group: 'widespread_progression',
      diffuse: d?.status ?? null,
      molecularProgression: d ? (d.status === 'shown' ? true : d.status === 'ruled_out' ? false : null) : null,
      indeterminateReason: null,
      rationale: `${lesionWords(i.lesions)}${newText} > ${i.maxOligo} (radiological widespread progression).${ctdnaText}${tail}`,
    };
  }
  const lead = `${lesionWords(i.lesions)}${newText} ≤ ${i.maxOligo}`;
  if (i.windowProblem || i.identityProblem) {
    const reason = (i.identityProblem ?? i.windowProblem) as string;
    return {
      group: 'indeterminate',
      diffuse: null,
      molecularProgression: null,
      indeterminateReason: reason,
      rationale: `${lead}, but ctDNA cannot decide: ${reason}.${tail}`,
    };
  }
  const d = diffuseStatus(i);
  const returnNote = (group: GroupId, why: string) =>
    i.ctdnaReturn.status === 'no_return'
      ? ''
      : ` ${i.ctdnaReturn.status === 'above_floor' ? 'The return' : i.ctdnaReturn.text} → ${group}: ${why}.`;
  const molecularProgression = d.status === 'shown' ? true : d.status === 'ruled_out' ? false : null;

  if (d.status === 'shown') {
    const why = `more ctDNA than ${lesionWords(i.lesions)} shed`;
    return {
      group: 'widespread_progression',
      diffuse: d.status,
      molecularProgression,
      indeterminateReason: null,
      rationale: `${lead}, but diffuse molecular progression: ${d.why}.${ctdna(d.why)}${returnNote('widespread_progression', why)}${tail}`,
    };
  }
  if (qualifying.length > 0) {
    const state = d.status === 'ruled_out' ? 'no diffuse molecular progression' : `diffuse progression not excluded (${d.why})`;
    return {
      group: 'oligoprogression_targetable',
      diffuse: d.status,
      molecularProgression,
      indeterminateReason: null,
      rationale: `${lead} with a targetable finding; ${state}.${ctdna(d.status === 'ruled_out' ? null : d.why)}${returnNote('oligoprogression_targetable', 'the return alone is not diffuse progression, and a targetable finding is present')}${tail}`,
    };
  }
  if (d.status === 'ruled_out') {
    const why = `the return is compatible with the shedding of the ${lesionWords(i.lesions)} and is not by itself diffuse progression; a repeat draw is advised`;
    return {
      group: 'true_oligoprogression',
      diffuse: d.status,
      molecularProgression,
      indeterminateReason: null,
      rationale: `${lead}, no diffuse molecular progression, no qualifying targetable finding.${ctdnaText}${returnNote('true_oligoprogression', why)}${tail}`,
    };
  }
  const reason = `ctDNA cannot exclude diffuse progression: ${d.why}`;
  return {
    group: 'indeterminate',
    diffuse: d.status,
    molecularProgression,
    indeterminateReason: reason,
    rationale: `${lead}; ${reason}.${ctdna(d.why)}${tail}`,
  };
}
