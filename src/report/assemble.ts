import type { AssessmentClassification, ClassificationDocument } from '../classify/types.js';
import type { ClinicalRow } from '../io/clinical.js';
import type { ImagingRow } from '../io/imaging.js';
import { actionableFor, loadActionability, type ActionabilityRow } from '../reference/actionability.js';
import { REVIEW_CITATION, THERAPY_CLASSES, toxicityNotesFor } from '../reference/evidence.js';
import type { PatientTimeline, TimelineSite } from '../timeline/types.js';
import { buildPatientReport } from './from-timeline.js';
import type { ActionableFinding, Assessment, ImagingAssessment, Methods, NoteWithSource, PatientReport } from './types.js';

/**
 * Turns track/classify outputs plus the reference tables into the report JSON of each patient.
 * The only place that reads reference/ for the report; everything after this is JSON → HTML.
 */

export const COUNTING_SEMANTICS =
  'A site is chrom, 1-based pos, ref, alt. Excluded: unmapped, secondary, supplementary, QC-fail and duplicate-flagged reads, ' +
  'MAPQ < min_mapq, base quality < min_baseq at the site. One fragment counts once: overlapping mates are merged ' +
  '(agree → one observation; disagree → discordant_mates, neither ref nor alt). With UMIs, counts are families.';

export const STATISTICS_TEXT =
  'Per site: VAF with a 95 % Wilson interval; one-sided test of the alt count over the background error rate; limit of detection = ' +
  'smallest VAF detected with 95 % power at the observed depth. Between consecutive draws: emerged / rising / falling / cleared ' +
  'by a two-count test at the event alpha with the minimum fold change shown below. Tumour fraction: pooled VAF of the clonal ' +
  'sites (detected at baseline, not germline/CH) × 2.';

export interface AssembleOptions {
  clinical?: Map<string, ClinicalRow>;
  imaging?: ImagingRow[];
  /** Panel roles by site key `chrom:pos:ref>alt`, when the sites came from the bundled panel. */
  roles?: Map<string, string>;
  actionability?: readonly ActionabilityRow[];
}

function assessmentView(a: AssessmentClassification): Assessment {
  const modifiers = a.modifiers.filter((m) => m.id !== 'toxicity_note').map((m) => `${m.text} (${m.source})`);
  return {
    assessment_date: a.assessment_date,
    group: a.group,
    progressing_lesions: a.progressing_lesions,
    molecular_progression: a.molecular_progression,
    targetable_mutations: a.targetable_mutations.map((t) =>
      t.from_nadir_date ? `${t.gene} ${t.protein} (rising from nadir ${t.from_nadir_date}, at ${t.collection_date})` : `${t.gene} ${t.protein} (${t.event} ${t.collection_date})`,
    ),
    modifiers,
    rationale: a.indeterminate_reason && !a.rationale.includes(a.indeterminate_reason) ? `${a.rationale} — ${a.indeterminate_reason}` : a.rationale,
    rules: a.rules.map((r) => ({
      id: r.id,
      description: r.description,
      inputs: Object.keys(r.inputs)
        .map((k) => `${k}=${r.inputs[k] === null ? 'n/a' : String(r.inputs[k])}`)
        .join(', '),
      value: r.value,
      threshold: r.threshold,
      pass: r.pass,
      source: r.source,
    })),
  };
}

function imagingView(patient: string, imaging: ImagingRow[] | undefined, assessments: AssessmentClassification[]): ImagingAssessment[] {
  const rows = imaging?.filter((i) => i.patient === patient);
  if (rows && rows.length) {
    return rows.map((i) => ({
      assessment_date: i.assessmentDate,
      progressing_lesions: i.progressingLesions,
      new_lesions: i.newLesions,
      sites: [...i.sites],
      visceral: i.visceral,
      cns: i.cns,
    }));
  }
  // Without the imaging CSV the classification still records each assessment's lesion count.
  return assessments.map((a) => ({
    assessment_date: a.assessment_date,
    progressing_lesions: a.progressing_lesions,
    new_lesions: Number(a.rules.find((r) => 'new_lesions' in r.inputs)?.inputs.new_lesions ?? 0),
    sites: [],
    visceral: false,
    cns: false,
  }));
}

/** Status in plasma of an actionable site: emerged/rising at a date, detected at the last draw, or seen earlier. */
function plasmaStatus(s: TimelineSite): string {
  const last = s.points[s.points.length - 1];
  const ev = [...s.points].reverse().find((p) => p.event === 'emerged' || p.event === 'rising');
  const parts: string[] = [];
  if (ev) parts.push(`${ev.event} ${ev.collection_date}`);
  parts.push(last.call === 'detected' ? `detected at last draw (${last.collection_date})` : `not detected at last draw (${last.collection_date})`);
  return parts.join('; ');
}

function actionableView(t: PatientTimeline, rows: readonly ActionabilityRow[]): ActionableFinding[] {
  const out: ActionableFinding[] = [];
  for (const s of t.sites) {
    if (!s.points.some((p) => p.call === 'detected')) continue;
    for (const r of actionableFor(s.gene, s.protein, rows)) {
      out.push({
        gene: s.gene,
        protein: s.protein,
        status: `${plasmaStatus(s)}${s.germline_or_ch ? '; germline/CH flag: not an emergent tumour mutation' : ''}${r.origin === 'germline' ? '; table row is for germline variants' : ''}`,
        drugs: [r.drugs],
        evidence_level: `OncoKB ${r.oncokb_level}; ESCAT ${r.escat_tier}; ${r.regulatory_status}`,
        as_of: r.regulatory_as_of,
        source: `${r.pivotal_trial} — ${r.trial_reference} (reference/actionability, ${r.id})`,
      });
    }
  }
  return out;
}

function toxicityView(therapyClass: string | undefined): NoteWithSource[] {
  if (!therapyClass || !(THERAPY_CLASSES as readonly string[]).includes(therapyClass)) return [];
  return toxicityNotesFor(therapyClass as (typeof THERAPY_CLASSES)[number]).map((n) => ({ title: n.agent_group, text: n.note, source: n.source }));
}

/** Without the clinical CSV, the toxicity note classify attached to the latest assessment. */
function toxicityFromClassification(assessments: AssessmentClassification[]): NoteWithSource[] {
  const latest = assessments[assessments.length - 1];
  return (latest?.modifiers ?? [])
    .filter((m) => m.id === 'toxicity_note')
    .map((m) => ({ title: 'concurrent radiotherapy', text: m.text, source: m.source }));
}

function policySummary(doc: ClassificationDocument, timeline: PatientTimeline): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = { policy_name: doc.policy_name, policy_file: doc.policy_file };
  // Thresholds as the rules reported them at this patient's latest assessment.
  const latest = doc.assessments.filter((a) => a.patient === timeline.patient).at(-1);
  for (const r of latest?.rules ?? []) out[r.id] = r.threshold;
  return out;
}

export function assemblePatientReports(timelines: PatientTimeline[], doc: ClassificationDocument, opts: AssembleOptions = {}): PatientReport[] {
  const rows = opts.actionability ?? loadActionability();
  return timelines.map((t) => {
    const assessments = doc.assessments
      .filter((a) => a.patient === t.patient)
      .sort((a, b) => (a.assessment_date < b.assessment_date ? -1 : a.assessment_date > b.assessment_date ? 1 : 0));
    const c = opts.clinical?.get(t.patient);
    const methods: Omit<Methods, 'count_settings' | 'tool_version'> = {
      counting_semantics: COUNTING_SEMANTICS,
      statistics: `${STATISTICS_TEXT} ${t.tumour_fraction.method}`,
      policy: policySummary(doc, t),
      reference_versions: [
        { name: 'actionability table (regulatory as_of)', version: [...new Set(rows.map((r) => r.regulatory_as_of))].sort().join(', ') },
        { name: 'review', version: REVIEW_CITATION },
        { name: 'classification', version: `${doc.schema} v${doc.schema_version}, oligotrack ${doc.tool_version}` },
      ],
    };
    return buildPatientReport({
      timeline: t,
      clinical: c ? { subtype: c.subtype, therapy: c.therapy, therapy_class: c.therapyClass, therapy_start: c.therapyStart } : null,
      imaging: imagingView(t.patient, opts.imaging, assessments),
      assessments: assessments.map(assessmentView),
      actionable: actionableView(t, rows),
      toxicityNotes: c ? toxicityView(c.therapyClass) : toxicityFromClassification(assessments),
      roleOf: (s) => opts.roles?.get(`${s.chrom}:${s.pos}:${s.ref}>${s.alt}`) ?? '',
      methods,
    });
  });
}
