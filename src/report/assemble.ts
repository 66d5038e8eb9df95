import type { AssessmentClassification, ClassificationDocument } from '../classify/types.js';
import type { ClinicalRow } from '../io/clinical.js';
import type { ImagingRow } from '../io/imaging.js';
import { loadActionability, type ActionabilityRow } from '../reference/actionability.js';
import { REVIEW_CITATION, THERAPY_CLASSES, toxicityNotesFor } from '../reference/evidence.js';
import type { PatientTimeline } from '../timeline/types.js';
import { assessmentView } from './assessment-view.js';
import { loadEvidenceLevels, type LevelWords } from './evidence-levels.js';
import { buildFindings, buildTherapies } from './findings.js';
import { buildPatientReport } from './from-timeline.js';
import { withKeptEvents } from './identity.js';
import { latestDate, policyHash, reportMeta } from './meta.js';
import type { ClinicalSummary, ImagingAssessment, Methods, NoteWithSource, PatientReport } from './types.js';
import { upstreamEarlierLines } from './upstream.js';

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
  levelWords?: LevelWords;
  /** `--report-date`; else the report is dated by its data cut-off. */
  reportDate?: string;
  toolVersion: string;
}

function clinicalView(c: ClinicalRow): ClinicalSummary {
  const out: ClinicalSummary = { subtype: c.subtype, therapy: c.therapy, therapy_class: c.therapyClass, therapy_start: c.therapyStart };
  const earlier = upstreamEarlierLines(c);
  if (earlier.length) out.earlier_lines = earlier;
  return out;
}

/** Latest draw or assessment date of one patient's data. */
function patientCutoff(t: PatientTimeline, imaging: ImagingAssessment[], assessments: AssessmentClassification[]): string {
  return latestDate([
    ...t.draws.map((d) => d.collection_date),
    ...imaging.map((i) => i.assessment_date),
    ...assessments.map((a) => a.assessment_date),
  ]);
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

function toxicityView(therapyClass: string | undefined): NoteWithSource[] {
  if (!therapyClass || !(THERAPY_CLASSES as readonly string[]).includes(therapyClass)) return [];
  return toxicityNotesFor(therapyClass as (typeof THERAPY_CLASSES)[number]).map((n) => ({
    title: n.agent_group,
    text: n.note,
    source: n.source,
  }));
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

export function assemblePatientReports(timelines: PatientTimeline[], doc: ClassificationDocument, opts: AssembleOptions): PatientReport[] {
  const rows = opts.actionability ?? loadActionability();
  const words = opts.levelWords ?? loadEvidenceLevels();
  const policy = policyHash(doc);
  const prepared = timelines.map((read) => {
    // The page's trends are those the group was decided on: none measured against a swapped tube.
    const t = withKeptEvents(read);
    const assessments = doc.assessments
      .filter((a) => a.patient === t.patient)
      .sort((a, b) => (a.assessment_date < b.assessment_date ? -1 : a.assessment_date > b.assessment_date ? 1 : 0));
    const imaging = imagingView(t.patient, opts.imaging, assessments);
    return { t, assessments, imaging, cutoff: patientCutoff(t, imaging, assessments) };
  });
  const cohortCutoff = latestDate(prepared.map((p) => p.cutoff));
  return prepared.map(({ t, assessments, imaging, cutoff }) => {
    const c = opts.clinical?.get(t.patient);
    const roleOf = (s: { chrom: string; pos: number; ref: string; alt: string }) =>
      opts.roles?.get(`${s.chrom}:${s.pos}:${s.ref}>${s.alt}`) ?? '';
    const { findings, more } = buildFindings(t, assessments.at(-1), rows, roleOf);
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
      meta: reportMeta({
        reportDate: opts.reportDate,
        cohortCutoff,
        pageCutoff: cutoff,
        toolVersion: opts.toolVersion,
        policyName: doc.policy_name,
        policy,
      }),
      clinical: c ? clinicalView(c) : null,
      imaging,
      assessments: assessments.map((a) => assessmentView(a, t)),
      findings,
      findingsMore: more,
      therapies: buildTherapies(findings, rows, words),
      toxicityNotes: c ? toxicityView(c.therapyClass) : toxicityFromClassification(assessments),
      roleOf,
      methods,
    });
  });
}
