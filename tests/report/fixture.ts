import type { Assessment, PatientReport, ReportMeta, SitePoint } from '../../src/report/types.js';
import { DISCLAIMER, REPORT_SCHEMA, REPORT_SCHEMA_VERSION } from '../../src/report/types.js';

/** Report date, version and policy of the fixtures (values chosen by hand). */
export const FIXTURE_META: ReportMeta = {
  report_date: '2025-07-30',
  report_date_source: 'option',
  data_cutoff: '2025-07-20',
  tool_version: '0.1.0',
  policy_name: 'default',
  policy_sha256: 'ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12',
  policy_sha256_of: 'rules as recorded',
};

/** A hand-built patient report (values chosen by hand, not computed by the code under test). */
export function fixturePatient(patient = 'PT-01', group = 'oligoprogression_targetable'): PatientReport {
  const dates = ['2025-01-10', '2025-03-12', '2025-05-14', '2025-07-16'];
  const samples = dates.map((_, i) => `${patient}-D${i + 1}`);
  const point = (i: number, alt: number, depth: number, call: string, event: string, lod: number): SitePoint => ({
    sample: samples[i],
    collection_date: dates[i],
    depth,
    alt_count: alt,
    vaf: alt / depth,
    vaf_low: Math.max(0, alt / depth - 0.001),
    vaf_high: alt / depth + 0.002,
    p_value: call === 'detected' ? 1e-9 : 0.4,
    lod,
    call,
    event,
    mean_frag_len_alt: alt ? 146 : null,
    mean_frag_len_ref: 167,
    families: 0,
  });
  const latest: Assessment = {
    assessment_date: '2025-07-20',
    group,
    progressing_lesions: 2,
    molecular_progression: false,
    targetable: [{ gene: 'ESR1', protein: 'p.D538G', event: 'emerged', date: '2025-05-14' }],
    targetable_mutations: ['ESR1 p.D538G (emerged 2025-05-14)'],
    modifiers: [{ id: 'bone_only', text: 'bone-only progression', source: 'AVATAR (worse PFS)' }],
    rationale: '2 progressing lesions (≤ 5); tumour fraction 1.5-fold from nadir (2025-05-14 → 2025-07-16); ESR1 p.D538G emerged',
    indeterminate_reason: null,
    tumour_fraction_change: { fold: 1.5, p_value: 0.2, nadir_date: '2025-05-14', compared_date: '2025-07-16', compared_is_peak: false, latest_date: '2025-07-16' },
    draw_to_scan: { date: '2025-07-16', days: 4 },
    last_draw_before: null,
    max_oligo_lesions: 5,
    rules: [
      { id: 'rule2_radiological_oligoprogression', description: '1 ≤ progressing lesions ≤ 5', inputs: 'progressing_lesions=2', value: '2', threshold: '1..5', pass: true, source: 'Merloni et al. 2024; CURB' },
      { id: 'rule3_molecular_progression', description: 'diffuse molecular progression', inputs: 'tf_fold_from_nadir=1.5', value: '1.5-fold from nadir', threshold: '≥ 2-fold, p < 0.01', pass: false, source: 'policy parameter' },
      { id: 'rule4_targetable_emergence', description: 'targetable emergence', inputs: '', value: 'ESR1 p.D538G emerged', threshold: 'emerged or rising', pass: true, source: 'PADA-1' },
      { id: 'rule5_group', description: 'decision table', inputs: '', value: group, threshold: 'decision table', pass: null, source: 'policy' },
    ],
  };
  return {
    schema: REPORT_SCHEMA,
    schema_version: REPORT_SCHEMA_VERSION,
    kind: 'patient',
    patient,
    meta: { ...FIXTURE_META },
    clinical: { subtype: 'HR+/HER2-', therapy: 'letrozole+palbociclib', therapy_class: 'endocrine+CDK4/6i', therapy_start: '2024-12-01' },
    draws: dates.map((d, i) => ({
      sample: samples[i],
      collection_date: d,
      timepoint: i === 0 ? 'baseline' : `M${i * 2}`,
      bam: `bams/${samples[i]}.bam`,
      tumour_fraction: { estimate: [0.04, 0.01, 0.008, 0.012][i], low: [0.035, 0.008, 0.006, 0.01][i], high: [0.045, 0.012, 0.01, 0.014][i] },
      detected: true,
      median_depth: 2500,
      min_depth: 2300,
      families: 0,
      sites_below_lod: i === 0 ? 1 : 0,
      sites_total: 3,
    })),
    sites: [
      {
        chrom: 'chr17', pos: 7675088, ref: 'C', alt: 'T', gene: 'TP53', protein: 'p.R175H', role: 'clonal_marker', germline_or_ch: false,
        points: [point(0, 100, 2500, 'detected', '', 0.001), point(1, 25, 2500, 'detected', 'falling', 0.001), point(2, 20, 2500, 'detected', 'stable', 0.001), point(3, 30, 2500, 'detected', 'stable', 0.001)],
      },
      {
        chrom: 'chr6', pos: 152098791, ref: 'A', alt: 'G', gene: 'ESR1', protein: 'p.D538G', role: 'resistance', germline_or_ch: false,
        points: [point(0, 0, 2500, 'not_detected', '', 0.0012), point(1, 1, 2500, 'not_detected', 'stable', 0.0012), point(2, 12, 2500, 'detected', 'emerged', 0.0012), point(3, 40, 2500, 'detected', 'rising', 0.0012)],
      },
      {
        chrom: 'chr3', pos: 179234297, ref: 'A', alt: 'G', gene: 'PIK3CA', protein: 'p.H1047R', role: 'actionable', germline_or_ch: false,
        points: [point(0, 90, 2400, 'detected', '', 0.0012), point(1, 22, 2400, 'detected', 'falling', 0.0012), point(2, 18, 2400, 'detected', 'stable', 0.0012), point(3, 28, 2400, 'detected', 'stable', 0.0012)],
      },
    ],
    imaging: [
      { assessment_date: '2025-03-20', progressing_lesions: 0, new_lesions: 0, sites: [], visceral: false, cns: false },
      { assessment_date: '2025-07-20', progressing_lesions: 2, new_lesions: 1, sites: ['bone', 'node'], visceral: false, cns: false },
    ],
    assessments: [
      {
        assessment_date: '2025-03-20', group: 'no_progression', progressing_lesions: 0, molecular_progression: false, targetable: [], targetable_mutations: [], modifiers: [],
        rationale: 'no progressing lesion', indeterminate_reason: null, tumour_fraction_change: null, draw_to_scan: { date: '2025-03-12', days: 8 }, last_draw_before: null,
        max_oligo_lesions: 5, rules: [],
      },
      latest,
    ],
    findings: [
      {
        key: 'chr6:152098791:A>G', gene: 'ESR1', protein: 'p.D538G', label: 'ESR1 p.D538G', last_date: '2025-07-16', call: 'detected', vaf: 0.016, vaf_low: 0.015, vaf_high: 0.018,
        lod: 0.0012, trend: 'rising', earlier_event: { event: 'emerged', date: '2025-05-14' }, first_detected: '2025-05-14', flags: [], drove_group: true, actionable: true, role: 'resistance',
      },
      {
        key: 'chr3:179234297:A>G', gene: 'PIK3CA', protein: 'p.H1047R', label: 'PIK3CA p.H1047R', last_date: '2025-07-16', call: 'detected', vaf: 0.0117, vaf_low: 0.0107, vaf_high: 0.0137,
        lod: 0.0012, trend: 'stable', earlier_event: null, first_detected: '2025-01-10', flags: [], drove_group: false, actionable: true, role: 'actionable',
      },
      {
        key: 'chr17:7675088:C>T', gene: 'TP53', protein: 'p.R175H', label: 'TP53 p.R175H', last_date: '2025-07-16', call: 'detected', vaf: 0.012, vaf_low: 0.011, vaf_high: 0.014,
        lod: 0.001, trend: 'stable', earlier_event: null, first_detected: '2025-01-10',
        flags: [{ kind: 'possible_ch', text: 'possible clonal haematopoiesis: white-cell sequencing recommended' }], drove_group: false, actionable: false, role: 'clonal_marker',
      },
    ],
    findings_more: 0,
    therapies: [
      {
        gene: 'ESR1', findings: ['ESR1 p.D538G'],
        therapies: [
          {
            drugs: 'elacestrant', applies_to: ['ESR1 p.D538G'], regulatory_status: 'FDA approved 2023-01-27', oncokb_level: '1', oncokb_words: 'an FDA-recognised biomarker', escat_tier: 'I-A',
            escat_words: 'randomised trials', levels_confirmed: false, as_of: '2026-11-27', trial: 'EMERALD', reference: 'Bidard 2022', row_id: 'ESR1-elacestrant', germline_row: false,
          },
          {
            drugs: 'camizestrant', applies_to: ['ESR1 p.D538G'], regulatory_status: 'not FDA-approved', oncokb_level: 'unknown', oncokb_words: '', escat_tier: 'unknown',
            escat_words: '', levels_confirmed: true, as_of: '2026-11-27', trial: 'SERENA-6', reference: 'Bidard 2025', row_id: 'ESR1-camizestrant', germline_row: false,
          },
        ],
      },
      {
        gene: 'PIK3CA', findings: ['PIK3CA p.H1047R'],
        therapies: [
          {
            drugs: 'alpelisib + fulvestrant', applies_to: ['PIK3CA p.H1047R'], regulatory_status: 'FDA approved 2019-05-24', oncokb_level: '1', oncokb_words: 'an FDA-recognised biomarker',
            escat_tier: 'I-A', escat_words: 'randomised trials', levels_confirmed: false, as_of: '2026-11-27', trial: 'SOLAR-1', reference: 'André 2019', row_id: 'PIK3CA-alpelisib', germline_row: false,
          },
        ],
      },
    ],
    toxicity_notes: [{ title: 'CDK4/6 inhibitors', text: 'haematological toxicity with concurrent RT; consider holding', source: 'Becherini et al. meta-analysis' }],
    methods: {
      tool_version: '0.1.0',
      count_settings: { min_mapq: 20, min_baseq: 20, mates: 'fragment' },
      counting_semantics: 'one fragment counts once',
      statistics: 'Wilson 95% interval; one-sided binomial test',
      policy: { max_oligo_lesions: 5, window_days: 90 },
      reference_versions: [{ name: 'panel', version: '2026-11-27' }],
    },
    disclaimer: DISCLAIMER,
  };
}
