import { describe, expect, it } from 'vitest';
import { synthTimeline } from '../../src/bench/report-bench.js';
import type {
  AssessmentClassification,
  ClassificationDocument,
  TargetableMutation,
  TumourFractionChange,
} from '../../src/classify/types.js';
import { loadActionability } from '../../src/reference/actionability.js';
import { assemblePatientReports } from '../../src/report/assemble.js';
import { assessmentView, formatInput } from '../../src/report/assessment-view.js';
import { levelInWords, loadEvidenceLevels } from '../../src/report/evidence-levels.js';
import { buildFindings, buildTherapies, MAX_OTHER_FINDINGS } from '../../src/report/findings.js';
import { renderPatientPage } from '../../src/report/html/patient-page.js';
import { policyHash } from '../../src/report/meta.js';
import { findSamples, withDates } from '../../src/report/sample-dates.js';
import type { PatientTimeline } from '../../src/timeline/types.js';

/** A 5-draw synthetic timeline (draws every 60 days from 2024-01-01) and an assessment written by hand. */
function timeline(): PatientTimeline {
  return synthTimeline(0, 5, 8, 'P');
}

function assessment(t: PatientTimeline, over: Partial<AssessmentClassification> = {}): AssessmentClassification {
  const s = t.draws.map((d) => d.sample);
  return {
    patient: t.patient,
    assessment_date: '2024-09-01',
    group: 'oligoprogression_targetable',
    progressing_lesions: 1,
    molecular_progression: false,
    targetable_mutations: [
      {
        gene: 'ESR1',
        protein: 'p.D538G',
        key: t.sites[4].key,
        event: 'rising',
        sample: s[4],
        collection_date: t.draws[4].collection_date,
        vaf: 0.01,
        change_p_value: 0.001,
        therapies: [],
        source: '',
      } as unknown as TargetableMutation,
    ],
    modifiers: [],
    rationale: `1 progressing lesion; tumour fraction 1.38-fold from nadir (${s[1]} → ${s[3]}, pooled VAF 0.421% → 0.581%), p = 0.161. Targetable: ESR1 p.D538G (rising).`,
    indeterminate_reason: null,
    draws_used: s,
    draws_in_window: [s[3], s[4]],
    rules: [
      {
        id: 'rule2_radiological_oligoprogression',
        description: '',
        inputs: { progressing_lesions: 1, max_oligo_lesions: 5 },
        value: '1',
        threshold: '1..5',
        pass: true,
        source: 'x',
      },
      {
        id: 'rule3_molecular_progression',
        description: '',
        inputs: {
          clonal_sites: 2,
          window_draws: `${s[3]};${s[4]}`,
          tf_fold_from_nadir: 1.380399336346473,
          tf_p_value: 0.16146572284081046,
        },
        value: `tumour fraction 1.38-fold from nadir (${s[1]} → ${s[3]}, pooled VAF 0.421% → 0.581%), p = 0.161; 0 non-targetable site(s) emerged at one draw`,
        threshold: 'fold ≥ 2',
        pass: false,
        source: 'policy choice',
      },
    ],
    ...over,
  };
}

const doc = (assessments: AssessmentClassification[], extra: Record<string, unknown> = {}): ClassificationDocument =>
  ({
    schema: 'oligotrack.classification',
    schema_version: 1,
    tool_version: '0.1.0',
    policy_file: '/some/where/default.yaml',
    policy_name: 'default',
    assessments,
    ...extra,
  }) as unknown as ClassificationDocument;

describe('sample IDs become dates', () => {
  const dates = new Map([
    ['P-D1', '2024-01-01'],
    ['P-D10', '2024-12-01'],
  ]);
  it('matches whole IDs only, longest first, and keeps a sentence-final period', () => {
    expect(withDates('P-D1 → P-D10.', dates)).toBe('2024-01-01 → 2024-12-01.');
    expect(withDates('XP-D1 and P-D1x stay; P-D1.5 too', dates)).toBe('XP-D1 and P-D1x stay; P-D1.5 too');
    expect(findSamples('(P-D10, P-D1)', [...dates.keys()]).map((h) => h.sample)).toEqual(['P-D10', 'P-D1']);
  });
});

describe('assessment view', () => {
  it('names the nadir and the compared draw by date, and sees that the compared draw is the peak, not the latest', () => {
    const t = timeline();
    const v = assessmentView(assessment(t), t);
    const d = t.draws.map((x) => x.collection_date);
    expect(v.tumour_fraction_change).toEqual({
      fold: 1.380399336346473,
      p_value: 0.16146572284081046,
      nadir_date: d[1],
      compared_date: d[3],
      compared_is_peak: true,
      latest_date: d[4],
    });
    expect(v.rationale).toContain(`(${d[1]} → ${d[3]}, pooled VAF`);
    expect(v.rationale).not.toMatch(/P-D\d/);
    expect(v.rules[1].inputs).toBe(`clonal_sites=2, window_draws=${d[3]}; ${d[4]}, tf_fold_from_nadir=1.38, tf_p_value=0.16`);
  });

  it('gives the draw-to-scan interval of the nearest window draw, or the last draw when the window is empty', () => {
    const t = timeline(); // draw 5 on 2024-08-28 (day 240)
    expect(assessmentView(assessment(t), t).draw_to_scan).toEqual({ date: '2024-08-28', days: 4 });
    const none = assessmentView(assessment(t, { draws_in_window: [], assessment_date: '2025-03-01' }), t);
    expect(none.draw_to_scan).toBeNull();
    expect(none.last_draw_before).toBe('2024-08-28');
  });

  it('rounds rule inputs: 3 significant digits, p-values 2, sample IDs as dates', () => {
    const dates = new Map([['S1', '2025-01-02']]);
    expect(formatInput('tf_fold_from_nadir', 1.380399336346473, dates)).toBe('1.38');
    expect(formatInput('tf_p_value', 0.9999999999999829, dates)).toBe('1');
    expect(formatInput('tf_p_value', 3.0426062065456063e-5, dates)).toBe('3.0e-5');
    expect(formatInput('window_draws', 'S1;S1', dates)).toBe('2025-01-02; 2025-01-02');
    expect(formatInput('x', null, dates)).toBe('n/a');
  });
});

describe('optional fields from later track/classify versions', () => {
  it('shows a modelled fold with interval and power, a ctDNA label, a per-site flag, "detected" findings and the recorded policy hash', () => {
    const t = timeline();
    const s = t.draws.map((d) => d.sample);
    const a = assessment(t, {
      targetable_mutations: [{ ...assessment(t).targetable_mutations[0], event: 'detected' as 'rising' }],
    }) as AssessmentClassification & Record<string, unknown>;
    a.tumour_fraction_change = {
      fold: 1.2,
      low: 0.8,
      high: 1.9,
      p_value: 0.3,
      power: 0.81,
      verdict: 'ruled_out',
      nadir_sample: s[0],
      compared_sample: s[4],
    } as TumourFractionChange;
    a.ctdna_label = 'ctDNA return';
    a.site_flags = [
      {
        key: t.sites[1].key, // TP53 p.R273H, detected at the last draw
        kind: 'possible_ch',
        text: 'possible clonal haematopoiesis: white-cell sequencing recommended',
      },
    ];
    const sha = 'f'.repeat(64);
    const [r] = assemblePatientReports([t], doc([a], { policy_sha256: sha }), { toolVersion: '9.9.9' });
    expect(r.meta.policy_sha256).toBe(sha);
    expect(r.meta.policy_sha256_of).toBe('policy file');
    const html = renderPatientPage(r).replace(/<span class="date">([^<]*)<\/span>/g, '$1');
    expect(html).toContain(`Tumour fraction: 1.2-fold (95 % interval 0.8–1.9) from its nadir ${t.draws[0].collection_date}`);
    expect(html).toContain('power 81 %');
    expect(html).toContain('ctDNA: <strong>ctDNA return</strong>');
    expect(html).toContain('data-flag="possible_ch">possible clonal haematopoiesis: white-cell sequencing recommended');
    expect(html).toContain(`ESR1 p.D538G detected on ${t.draws[4].collection_date}`);
  });
});

describe('earlier therapy lines', () => {
  it('come from the clinical row when its reader provides them, oldest first', () => {
    const t = timeline();
    const clinical = new Map([
      [
        'P',
        {
          patient: 'P',
          subtype: 'HR+/HER2-',
          therapy: 'fulvestrant',
          therapyClass: 'endocrine',
          therapyStart: '2024-05-01',
          therapyStartDay: 0,
          line: 2,
          earlierLines: [{ therapy: 'letrozole+palbociclib', therapyClass: 'endocrine+CDK4/6i', therapyStart: '2023-06-01' }],
        },
      ],
    ]) as unknown as Map<string, import('../../src/io/clinical.js').ClinicalRow>;
    const [r] = assemblePatientReports([t], doc([assessment(t)]), { toolVersion: '0.1.0', clinical });
    expect(r.clinical?.earlier_lines).toEqual([
      { therapy: 'letrozole+palbociclib', therapy_class: 'endocrine+CDK4/6i', start: '2023-06-01' },
    ]);
    const [plain] = assemblePatientReports([t], doc([assessment(t)]), { toolVersion: '0.1.0' });
    expect(plain.clinical).toBeNull();
  });
});

describe('policy hash', () => {
  it('does not depend on where the policy file lay, and changes with a threshold', () => {
    const t = timeline();
    const a = assessment(t);
    const h1 = policyHash(doc([a]));
    const h2 = policyHash({ ...doc([a]), policy_file: '/elsewhere/p.yaml' });
    expect(h1.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(h2.sha256).toBe(h1.sha256);
    const changed = assessment(t);
    changed.rules[0].threshold = '1..4';
    expect(policyHash(doc([changed])).sha256).not.toBe(h1.sha256);
  });
});

describe('findings and therapies', () => {
  it('lists what decided the group first, then actionable sites, then at most MAX_OTHER_FINDINGS others; drugs once per gene', () => {
    const t = timeline();
    for (const s of t.sites) s.points = s.points.map((p) => ({ ...p, call: 'detected', vaf: 0.01, alt_count: 25, depth: 2500 }));
    const rows = loadActionability();
    const a = assessment(t, {
      targetable_mutations: [t.sites[4], t.sites[5]].map((s) => ({
        ...assessment(t).targetable_mutations[0],
        key: s.key,
        protein: s.protein,
      })),
    });
    const { findings, more } = buildFindings(t, a, rows, () => '');
    // Sites: TP53 R175H, TP53 R273H, PIK3CA E545K, PIK3CA H1047R, ESR1 D538G, ESR1 Y537S, AKT1 E17K, ERBB2 S310F.
    // Equal VAFs: ordered by site key (152098788 Y537S before 152098791 D538G).
    expect(findings.filter((f) => f.drove_group).map((f) => f.label)).toEqual(['ESR1 p.Y537S', 'ESR1 p.D538G']);
    expect(findings.slice(0, 2).every((f) => f.drove_group)).toBe(true);
    expect(findings.filter((f) => !f.actionable).length).toBeLessThanOrEqual(MAX_OTHER_FINDINGS);
    expect(findings.length + more).toBe(8);
    const esr1 = buildTherapies(findings, rows, loadEvidenceLevels()).find((g) => g.gene === 'ESR1')!;
    expect(esr1.findings).toEqual(['ESR1 p.Y537S', 'ESR1 p.D538G']);
    expect(esr1.therapies.map((x) => x.row_id)).toEqual([
      'ESR1-elacestrant',
      'ESR1-imlunestrant',
      'ESR1-camizestrant',
      'ESR1-fulvestrant-PADA1',
    ]);
    for (const x of esr1.therapies) expect(x.applies_to).toEqual(['ESR1 p.Y537S', 'ESR1 p.D538G']);
  });

  it('has words for every OncoKB level and ESCAT tier the actionability table uses', () => {
    const words = loadEvidenceLevels();
    for (const r of loadActionability()) {
      for (const [scheme, raw] of [
        ['OncoKB', r.oncokb_level],
        ['ESCAT', r.escat_tier],
      ] as const) {
        const l = levelInWords(scheme, raw, words);
        if (l.level !== 'unknown' && l.level !== 'not applicable') expect(l.words, `${r.id} ${scheme} ${raw}`).not.toBe('');
      }
    }
    expect(levelInWords('OncoKB', '1 (unconfirmed)', words)).toEqual({
      level: '1',
      words: 'an FDA-recognised biomarker that predicts response to an FDA-approved drug in this cancer type',
      confirmed: false,
    });
  });
});
