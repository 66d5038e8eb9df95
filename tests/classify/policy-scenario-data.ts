/**
 * The clinical-policy scenarios, as a tumour board would state them: one per bullet of the measured
 * list (clonal haematopoiesis, germline variants, the clonal set, therapy lines, a return after
 * clearance, targetable findings, windows and new lesions) and one per step of the group
 * precedence. Each names the group the board would agree on and the words the rationale must carry.
 * Data only: policy-scenarios.test.ts runs them through the classifier, and
 * policy-scenario-data.test.ts checks that each patient's counts really say what the clinician says.
 */
import type { Counts, Scenario } from './policy-scenario-builder.js';

const AI_CDK = { therapy: 'letrozole+palbociclib', therapyClass: 'endocrine+CDK4/6i' as const };
const FIRST_LINE = [{ ...AI_CDK, start: '2025-06-01' }];

/** Two truncal tissue markers at about 2% of 5,000 reads, with the small wobble of real draws. */
const truncal = (a: number, b: number): Counts => ({ 'TP53 p.R175H': [a, 5000], 'PIK3CA p.H1047R': [b, 5000] });
const TRUNCAL_VCF = ['TP53 p.R175H', 'PIK3CA p.H1047R'];

export const SCENARIOS: Scenario[] = [
  // ── Clonal haematopoiesis ────────────────────────────────────────────────────────────────────
  {
    id: 'CH1',
    bullet: 'CH: plasma-only TP53 at ~0.3% without white cells',
    clinician:
      'Two TP53 hotspots appear at about 0.3% in plasma only — not in the tissue, no white-cell sequencing — while the tissue-confirmed markers stay flat at 2%. ' +
      'That is the typical pattern of clonal haematopoiesis, not of the tumour: with 2 progressing lesions this is true oligoprogression, and the report must ask for white-cell sequencing.',
    therapyHistory: FIRST_LINE,
    tumourVcf: TRUNCAL_VCF,
    draws: [
      { date: '2025-07-01', counts: { ...truncal(100, 98), 'TP53 p.R248Q': [0, 3000], 'TP53 p.R273H': [0, 3000] } },
      { date: '2025-09-01', counts: { ...truncal(96, 103), 'TP53 p.R248Q': [0, 3000], 'TP53 p.R273H': [1, 3000] } },
      { date: '2025-11-03', counts: { ...truncal(104, 99), 'TP53 p.R248Q': [1, 3000], 'TP53 p.R273H': [0, 3000] } },
      { date: '2026-01-05', counts: { ...truncal(99, 101), 'TP53 p.R248Q': [9, 3000], 'TP53 p.R273H': [8, 3000] } },
      { date: '2026-02-02', counts: { ...truncal(102, 97), 'TP53 p.R248Q': [10, 3000], 'TP53 p.R273H': [9, 3000] } },
    ],
    imaging: { date: '2026-02-06', progressingLesions: 2, sites: ['bone'] },
    expect: {
      group: 'true_oligoprogression',
      rationaleContains: ['possible clonal haematopoiesis: white-cell sequencing recommended', 'TP53 p.R248Q', 'TP53 p.R273H'],
      rationaleExcludes: ['non-targetable sites emerged'],
    },
  },
  {
    id: 'CH2',
    bullet: 'CH: low-level CH in the white cells (below 1% / 3 reads)',
    clinician:
      'Same patient, but the white cells were sequenced: both TP53 variants sit there at 0.25–0.3%, far above the assay background though below 1%. ' +
      'They are clonal haematopoiesis for this patient and say nothing about the tumour: true oligoprogression, no request for white-cell sequencing.',
    therapyHistory: FIRST_LINE,
    tumourVcf: TRUNCAL_VCF,
    whiteCells: { 'TP53 p.R248Q': [25, 10000], 'TP53 p.R273H': [30, 10000], 'TP53 p.R175H': [0, 10000], 'PIK3CA p.H1047R': [1, 10000] },
    draws: [
      { date: '2025-07-01', counts: { ...truncal(100, 98), 'TP53 p.R248Q': [0, 3000], 'TP53 p.R273H': [0, 3000] } },
      { date: '2025-09-01', counts: { ...truncal(96, 103), 'TP53 p.R248Q': [0, 3000], 'TP53 p.R273H': [1, 3000] } },
      { date: '2025-11-03', counts: { ...truncal(104, 99), 'TP53 p.R248Q': [1, 3000], 'TP53 p.R273H': [0, 3000] } },
      { date: '2026-01-05', counts: { ...truncal(99, 101), 'TP53 p.R248Q': [9, 3000], 'TP53 p.R273H': [8, 3000] } },
      { date: '2026-02-02', counts: { ...truncal(102, 97), 'TP53 p.R248Q': [10, 3000], 'TP53 p.R273H': [9, 3000] } },
    ],
    imaging: { date: '2026-02-06', progressingLesions: 2, sites: ['bone'] },
    expect: {
      group: 'true_oligoprogression',
      rationaleContains: ['in the white cells', 'clonal haematopoiesis', 'TP53 p.R248Q'],
      rationaleExcludes: ['white-cell sequencing recommended'],
    },
  },

  // ── Germline ─────────────────────────────────────────────────────────────────────────────────
  {
    id: 'GL1',
    bullet: 'Germline: a heterozygous SNP in the tumour VCF',
    clinician:
      'The tumour-only VCF carries TP53 P72R, a common germline polymorphism, at 50% in every draw, beside the truncal PIK3CA at 1%. ' +
      'P72R is germline and must not stand for the tumour; PIK3CA rises 4-fold (1% → 4%): with 2 lesions this is diffuse molecular progression, widespread progression.',
    therapyHistory: FIRST_LINE,
    tumourVcf: ['TP53 p.P72R', 'PIK3CA p.H1047R'],
    draws: [
      { date: '2025-07-01', counts: { 'TP53 p.P72R': [2490, 5000], 'PIK3CA p.H1047R': [50, 5000] } },
      { date: '2025-09-01', counts: { 'TP53 p.P72R': [2530, 5000], 'PIK3CA p.H1047R': [47, 5000] } },
      { date: '2025-11-03', counts: { 'TP53 p.P72R': [2475, 5000], 'PIK3CA p.H1047R': [52, 5000] } },
      { date: '2026-01-12', counts: { 'TP53 p.P72R': [2510, 5000], 'PIK3CA p.H1047R': [200, 5000] } },
    ],
    imaging: { date: '2026-01-20', progressingLesions: 2, sites: ['bone', 'node'] },
    expect: {
      group: 'widespread_progression',
      rationaleContains: ['germline', 'TP53 p.P72R', 'PIK3CA p.H1047R'],
    },
  },

  // ── The clonal set ───────────────────────────────────────────────────────────────────────────
  {
    id: 'CS1',
    bullet: 'Clonal set: first draw ctDNA-negative, tissue markers then rise 10-fold',
    clinician:
      'The first draw on treatment was ctDNA-negative; the two tissue mutations then appear at 0.2% and rise 10-fold to 2%. ' +
      'The tissue defines the clonal markers, whatever the first draw showed: a 10-fold rise with 2 lesions is widespread progression.',
    therapyHistory: FIRST_LINE,
    tumourVcf: ['TP53 p.R175H', 'PIK3CA p.E545K'],
    draws: [
      { date: '2025-07-01', counts: { 'TP53 p.R175H': [0, 5000], 'PIK3CA p.E545K': [0, 5000] } },
      { date: '2025-09-01', counts: { 'TP53 p.R175H': [10, 5000], 'PIK3CA p.E545K': [11, 5000] } },
      { date: '2025-11-03', counts: { 'TP53 p.R175H': [12, 5000], 'PIK3CA p.E545K': [9, 5000] } },
      { date: '2026-01-10', counts: { 'TP53 p.R175H': [100, 5000], 'PIK3CA p.E545K': [104, 5000] } },
    ],
    imaging: { date: '2026-01-20', progressingLesions: 2, sites: ['liver'], visceral: true },
    expect: { group: 'widespread_progression', rationaleContains: ['from the tumour VCF', 'TP53 p.R175H', 'PIK3CA p.E545K'] },
  },
  {
    id: 'CS2',
    bullet: 'Clonal set: no tissue, chosen outside the change being tested',
    clinician:
      'No tissue was sequenced. PIK3CA E545K and AKT1 E17K are absent at the first draw, present at about 0.2% in the next two, then at 2% just before the scan. ' +
      'Markers seen before the window are the tumour; a 10-fold rise with 2 lesions is widespread progression.',
    therapyHistory: FIRST_LINE,
    draws: [
      { date: '2025-07-01', counts: { 'PIK3CA p.E545K': [0, 5000], 'AKT1 p.E17K': [0, 5000] } },
      { date: '2025-09-01', counts: { 'PIK3CA p.E545K': [10, 5000], 'AKT1 p.E17K': [12, 5000] } },
      { date: '2025-11-03', counts: { 'PIK3CA p.E545K': [11, 5000], 'AKT1 p.E17K': [9, 5000] } },
      { date: '2026-01-10', counts: { 'PIK3CA p.E545K': [101, 5000], 'AKT1 p.E17K': [98, 5000] } },
    ],
    imaging: { date: '2026-01-20', progressingLesions: 2, sites: ['liver'], visceral: true },
    expect: { group: 'widespread_progression', rationaleContains: ['detected before the window', 'PIK3CA p.E545K', 'AKT1 p.E17K'] },
  },

  // ── Therapy lines ────────────────────────────────────────────────────────────────────────────
  {
    id: 'TL1',
    bullet: 'Nadir across therapy lines',
    clinician:
      'On letrozole+palbociclib the markers went 5% → 0.5% → 3%; the patient was switched to fulvestrant+abemaciclib, and on that line they read 3.0%, 3.1% and 2.9%. ' +
      'Measured against the current line, ctDNA is flat: with 2 lesions this is true oligoprogression; the line-1 nadir is history, shown but not the baseline.',
    therapyHistory: [
      { ...AI_CDK, start: '2025-01-10' },
      { therapy: 'fulvestrant+abemaciclib', therapyClass: 'endocrine+CDK4/6i', start: '2025-08-20' },
    ],
    tumourVcf: TRUNCAL_VCF,
    draws: [
      { date: '2025-02-01', therapy: 'letrozole+palbociclib', counts: truncal(250, 245) },
      { date: '2025-05-01', therapy: 'letrozole+palbociclib', counts: truncal(25, 26) },
      { date: '2025-08-01', therapy: 'letrozole+palbociclib', counts: truncal(150, 148) },
      { date: '2025-10-15', therapy: 'fulvestrant+abemaciclib', counts: truncal(150, 151) },
      { date: '2025-12-15', therapy: 'fulvestrant+abemaciclib', counts: truncal(155, 153) },
      { date: '2026-02-10', therapy: 'fulvestrant+abemaciclib', counts: truncal(145, 146) },
    ],
    imaging: { date: '2026-02-20', progressingLesions: 2, sites: ['bone'] },
    expect: { group: 'true_oligoprogression', rationaleContains: ['fulvestrant+abemaciclib', '2025-08-20', 'earlier line'] },
  },

  // ── Return after clearance ───────────────────────────────────────────────────────────────────
  {
    id: 'RT1',
    bullet: 'A low-level return after clearance',
    clinician:
      'A responder cleared ctDNA (2% → undetectable twice at 6,000 reads), and now shows 8 of 6,000 reads at each marker (0.13%) as 2 lesions grow. ' +
      'Two growing lesions can shed that much: this is a ctDNA return compatible with the visible disease, true oligoprogression, with a repeat draw advised.',
    therapyHistory: FIRST_LINE,
    tumourVcf: TRUNCAL_VCF,
    defaultDepth: 6000,
    draws: [
      { date: '2025-07-01', counts: { 'TP53 p.R175H': [120, 6000], 'PIK3CA p.H1047R': [118, 6000] } },
      { date: '2025-09-01', counts: { 'TP53 p.R175H': [0, 6000], 'PIK3CA p.H1047R': [0, 6000] } },
      { date: '2025-11-03', counts: { 'TP53 p.R175H': [0, 6000], 'PIK3CA p.H1047R': [1, 6000] } },
      { date: '2026-01-05', counts: { 'TP53 p.R175H': [8, 6000], 'PIK3CA p.H1047R': [8, 6000] } },
    ],
    imaging: { date: '2026-01-15', progressingLesions: 2, sites: ['bone'] },
    expect: { group: 'true_oligoprogression', rationaleContains: ['ctDNA return', '0.13%', 'below the', 'true_oligoprogression'] },
  },
  {
    id: 'RT2',
    bullet: 'A return after clearance above the floor',
    clinician:
      'Same responder, but the return is to 1.5% at both markers — far more than 2 small lesions shed. ' +
      'That return is diffuse molecular progression: widespread progression.',
    therapyHistory: FIRST_LINE,
    tumourVcf: TRUNCAL_VCF,
    defaultDepth: 6000,
    draws: [
      { date: '2025-07-01', counts: { 'TP53 p.R175H': [120, 6000], 'PIK3CA p.H1047R': [118, 6000] } },
      { date: '2025-09-01', counts: { 'TP53 p.R175H': [0, 6000], 'PIK3CA p.H1047R': [0, 6000] } },
      { date: '2025-11-03', counts: { 'TP53 p.R175H': [0, 6000], 'PIK3CA p.H1047R': [1, 6000] } },
      { date: '2026-01-05', counts: { 'TP53 p.R175H': [90, 6000], 'PIK3CA p.H1047R': [92, 6000] } },
    ],
    imaging: { date: '2026-01-15', progressingLesions: 2, sites: ['bone'] },
    expect: { group: 'widespread_progression', rationaleContains: ['ctDNA return', 'above the', 'widespread_progression'] },
  },

  // ── Targetable findings ──────────────────────────────────────────────────────────────────────
  {
    id: 'TG1',
    bullet: 'Targetable: ESR1 0 → 1 → 5 of 3,000 reads',
    clinician:
      'On letrozole+palbociclib, ESR1 D538G goes from 0 to 1 to 5 reads of 3,000 while the truncal markers are flat. ' +
      'Five reads are a detection; SERENA-6 switched on detection: with 2 lesions this is oligoprogression with a targetable finding.',
    therapyHistory: FIRST_LINE,
    tumourVcf: TRUNCAL_VCF,
    draws: [
      { date: '2025-07-01', counts: { ...truncal(100, 98), 'ESR1 p.D538G': [0, 3000] } },
      { date: '2025-09-01', counts: { ...truncal(96, 103), 'ESR1 p.D538G': [0, 3000] } },
      { date: '2025-11-03', counts: { ...truncal(104, 99), 'ESR1 p.D538G': [1, 3000] } },
      { date: '2026-01-05', counts: { ...truncal(99, 101), 'ESR1 p.D538G': [5, 3000] } },
    ],
    imaging: { date: '2026-01-15', progressingLesions: 2, sites: ['bone'] },
    expect: {
      group: 'oligoprogression_targetable',
      rationaleContains: ['ESR1 p.D538G', 'detected in the window', 'newly emerged'],
      targetable: ['ESR1 p.D538G'],
    },
  },
  {
    id: 'TG2',
    bullet: 'Targetable: ESR1 present since the first draw on an aromatase inhibitor',
    clinician:
      'ESR1 Y537S has been in every draw at about 0.8% since the first, with the usual scatter, while the patient stays on letrozole+palbociclib. ' +
      'An ESR1 mutation on an aromatase inhibitor qualifies whether new or not (the drug it resists is still given): oligoprogression with a targetable finding, listed as present since the first draw, never as rising on noise.',
    therapyHistory: FIRST_LINE,
    tumourVcf: TRUNCAL_VCF,
    draws: [
      { date: '2025-07-01', counts: { ...truncal(100, 98), 'ESR1 p.Y537S': [24, 3000] } },
      { date: '2025-09-01', counts: { ...truncal(96, 103), 'ESR1 p.Y537S': [19, 3000] } },
      { date: '2025-11-03', counts: { ...truncal(104, 99), 'ESR1 p.Y537S': [31, 3000] } },
      { date: '2026-01-05', counts: { ...truncal(99, 101), 'ESR1 p.Y537S': [26, 3000] } },
    ],
    imaging: { date: '2026-01-15', progressingLesions: 2, sites: ['bone'] },
    expect: {
      group: 'oligoprogression_targetable',
      rationaleContains: ['ESR1 p.Y537S', 'present since the first draw', 'aromatase inhibitor'],
      rationaleExcludes: ['ESR1 p.Y537S (rising'],
      targetable: ['ESR1 p.Y537S'],
    },
  },
  {
    id: 'TG3',
    bullet: 'Targetable: a truncal PIK3CA rising with the whole tumour',
    clinician:
      'Both tissue markers, TP53 R175H and PIK3CA H1047R, rise together from 1% to 4%. ' +
      'That is the whole tumour growing, not an emergent resistance clone: widespread progression; PIK3CA is shown as actionable, known since baseline, never as an emergence.',
    therapyHistory: FIRST_LINE,
    tumourVcf: TRUNCAL_VCF,
    draws: [
      { date: '2025-07-01', counts: truncal(50, 49) },
      { date: '2025-09-01', counts: truncal(48, 52) },
      { date: '2025-11-03', counts: truncal(51, 50) },
      { date: '2026-01-05', counts: truncal(200, 205) },
    ],
    imaging: { date: '2026-01-15', progressingLesions: 2, sites: ['bone'] },
    expect: {
      group: 'widespread_progression',
      rationaleContains: ['PIK3CA p.H1047R', 'known since baseline'],
      rationaleExcludes: ['PIK3CA p.H1047R (emerged', 'PIK3CA p.H1047R (newly emerged'],
    },
  },
  {
    id: 'TG4',
    bullet: 'Targetable: a truncal PIK3CA known since baseline, stable (the policy default)',
    clinician:
      'A truncal PIK3CA H1047R known from the start, flat at 2%, on letrozole+palbociclib, 2 progressing lesions. ' +
      'It was known when the current therapy was chosen, so by default it is shown as actionable and does not make the group: true oligoprogression.',
    therapyHistory: FIRST_LINE,
    tumourVcf: TRUNCAL_VCF,
    draws: [
      { date: '2025-07-01', counts: truncal(100, 98) },
      { date: '2025-09-01', counts: truncal(96, 103) },
      { date: '2025-11-03', counts: truncal(104, 99) },
      { date: '2025-12-05', counts: truncal(101, 100) },
      { date: '2026-01-05', counts: truncal(99, 101) },
    ],
    imaging: { date: '2026-01-15', progressingLesions: 2, sites: ['bone'] },
    expect: {
      group: 'true_oligoprogression',
      rationaleContains: ['PIK3CA p.H1047R', 'known since baseline', 'actionable'],
      targetable: [],
    },
  },

  // ── Windows and new lesions ──────────────────────────────────────────────────────────────────
  {
    id: 'WI1',
    bullet: 'Window: the work-up draw days after the scan',
    clinician:
      'The last routine draw was 100 days before the scan; the work-up draw was taken 5 days after it and is flat. ' +
      'That draw belongs to this assessment: true oligoprogression, with the draw-to-scan interval stated.',
    therapyHistory: FIRST_LINE,
    tumourVcf: TRUNCAL_VCF,
    draws: [
      { date: '2025-06-15', counts: truncal(100, 98) },
      { date: '2025-09-15', counts: truncal(96, 103) },
      { date: '2025-12-10', counts: truncal(104, 99) },
      { date: '2026-03-25', counts: truncal(99, 101) },
    ],
    imaging: { date: '2026-03-20', progressingLesions: 2, sites: ['bone'] },
    expect: { group: 'true_oligoprogression', rationaleContains: ['5 days after the scan'] },
  },
  {
    id: 'WI2',
    bullet: 'Window: a draw 89 days old does not weigh like one from yesterday',
    clinician:
      'A draw 89 days before the scan read 4 times the usual level; the draw 3 days before the scan is back at the usual level. ' +
      'The recent draw describes the patient now: true oligoprogression; the old draw is outside the window.',
    therapyHistory: FIRST_LINE,
    tumourVcf: TRUNCAL_VCF,
    draws: [
      { date: '2025-07-01', counts: truncal(100, 98) },
      { date: '2025-09-01', counts: truncal(96, 103) },
      { date: '2025-11-01', counts: truncal(104, 99) },
      { date: '2025-12-22', counts: truncal(400, 395) },
      { date: '2026-03-18', counts: truncal(99, 101) },
    ],
    imaging: { date: '2026-03-21', progressingLesions: 2, sites: ['bone'] },
    expect: { group: 'true_oligoprogression', rationaleContains: ['3 days before the scan'] },
  },
  {
    id: 'WI3',
    bullet: 'Window: never across a change of therapy',
    clinician:
      'The last draw before the scan is 111 days old; the next draw was taken 12 days after the scan but after the switch to fulvestrant+abemaciclib. ' +
      'A draw on the new therapy cannot describe the old one: ctDNA cannot decide, indeterminate.',
    therapyHistory: [
      { ...AI_CDK, start: '2025-06-01' },
      { therapy: 'fulvestrant+abemaciclib', therapyClass: 'endocrine+CDK4/6i', start: '2026-01-25' },
    ],
    tumourVcf: TRUNCAL_VCF,
    draws: [
      { date: '2025-07-01', counts: truncal(100, 98) },
      { date: '2025-10-01', counts: truncal(96, 103) },
      { date: '2026-02-01', counts: truncal(101, 99) },
    ],
    imaging: { date: '2026-01-20', progressingLesions: 2, sites: ['bone'] },
    expect: { group: 'indeterminate', rationaleContains: ['no ctDNA draw in the window', 'after the change of therapy'] },
  },
  {
    id: 'WI4',
    bullet: 'new_lesions and organs',
    clinician:
      'Two progressing lesions, both new, one in bone and one in the liver, with flat ctDNA. ' +
      'The lesion count makes it oligoprogression and ctDNA excludes diffuse progression: true oligoprogression; new lesions in two organs are shown beside the group as a warning, not hidden.',
    therapyHistory: FIRST_LINE,
    tumourVcf: TRUNCAL_VCF,
    draws: [
      { date: '2025-07-01', counts: truncal(100, 98) },
      { date: '2025-09-01', counts: truncal(96, 103) },
      { date: '2025-11-03', counts: truncal(104, 99) },
      { date: '2025-12-05', counts: truncal(101, 100) },
      { date: '2026-01-05', counts: truncal(99, 101) },
    ],
    imaging: { date: '2026-01-15', progressingLesions: 2, newLesions: 2, sites: ['bone', 'liver'], visceral: true },
    expect: { group: 'true_oligoprogression', rationaleContains: ['2 new lesions'], modifiers: ['new_lesions', 'multi_organ'] },
  },

  // ── Group precedence ─────────────────────────────────────────────────────────────────────────
  {
    id: 'GP1',
    bullet: 'Precedence: radiological widespread first',
    clinician:
      'Seven progressing lesions with a newly detected ESR1: widespread progression; the ESR1 finding is still listed for the next line.',
    therapyHistory: FIRST_LINE,
    tumourVcf: TRUNCAL_VCF,
    draws: [
      { date: '2025-07-01', counts: { ...truncal(100, 98), 'ESR1 p.D538G': [0, 3000] } },
      { date: '2025-09-01', counts: { ...truncal(96, 103), 'ESR1 p.D538G': [0, 3000] } },
      { date: '2026-01-05', counts: { ...truncal(99, 101), 'ESR1 p.D538G': [30, 3000] } },
    ],
    imaging: { date: '2026-01-15', progressingLesions: 7, sites: ['bone', 'liver', 'lung'], visceral: true },
    expect: { group: 'widespread_progression', rationaleContains: ['7 progressing lesions', 'ESR1 p.D538G'], targetable: ['ESR1 p.D538G'] },
  },
  {
    id: 'GP2',
    bullet: 'Precedence: molecular widespread before targetable',
    clinician:
      'Two lesions, but both truncal markers rise 4-fold while ESR1 D538G emerges: diffuse molecular progression wins; widespread progression, ESR1 listed.',
    therapyHistory: FIRST_LINE,
    tumourVcf: TRUNCAL_VCF,
    draws: [
      { date: '2025-07-01', counts: { ...truncal(50, 49), 'ESR1 p.D538G': [0, 3000] } },
      { date: '2025-09-01', counts: { ...truncal(48, 52), 'ESR1 p.D538G': [0, 3000] } },
      { date: '2025-11-03', counts: { ...truncal(51, 50), 'ESR1 p.D538G': [0, 3000] } },
      { date: '2026-01-05', counts: { ...truncal(200, 205), 'ESR1 p.D538G': [30, 3000] } },
    ],
    imaging: { date: '2026-01-15', progressingLesions: 2, sites: ['bone'] },
    expect: {
      group: 'widespread_progression',
      rationaleContains: ['diffuse molecular progression', 'ESR1 p.D538G'],
      targetable: ['ESR1 p.D538G'],
    },
  },
  {
    id: 'GP3',
    bullet: 'Precedence: targetable with an undecided change keeps the group, with the caveat',
    clinician:
      'Shallow sequencing (300 reads) of two tissue markers near 0.5% cannot tell whether the tumour fraction doubled, but ESR1 D538G is clearly there at 5% on letrozole+palbociclib. ' +
      'The board would act on the ESR1 finding: oligoprogression with a targetable finding, saying plainly that diffuse progression is not excluded.',
    therapyHistory: FIRST_LINE,
    tumourVcf: TRUNCAL_VCF,
    defaultDepth: 300,
    draws: [
      { date: '2025-07-01', counts: { 'TP53 p.R175H': [2, 300], 'PIK3CA p.H1047R': [1, 300], 'ESR1 p.D538G': [0, 300] } },
      { date: '2025-09-01', counts: { 'TP53 p.R175H': [1, 300], 'PIK3CA p.H1047R': [2, 300], 'ESR1 p.D538G': [0, 300] } },
      { date: '2026-01-05', counts: { 'TP53 p.R175H': [2, 300], 'PIK3CA p.H1047R': [2, 300], 'ESR1 p.D538G': [15, 300] } },
    ],
    imaging: { date: '2026-01-15', progressingLesions: 2, sites: ['bone'] },
    expect: {
      group: 'oligoprogression_targetable',
      rationaleContains: ['ESR1 p.D538G', 'diffuse progression not excluded'],
      targetable: ['ESR1 p.D538G'],
    },
  },
  {
    id: 'GP4',
    bullet: 'Precedence: nothing targetable and an undecided change → indeterminate',
    clinician:
      'The same shallow markers, no targetable finding: ctDNA can neither show nor exclude diffuse progression, so the honest answer is indeterminate.',
    therapyHistory: FIRST_LINE,
    tumourVcf: TRUNCAL_VCF,
    defaultDepth: 300,
    draws: [
      { date: '2025-07-01', counts: { 'TP53 p.R175H': [2, 300], 'PIK3CA p.H1047R': [1, 300] } },
      { date: '2025-09-01', counts: { 'TP53 p.R175H': [1, 300], 'PIK3CA p.H1047R': [2, 300] } },
      { date: '2026-01-05', counts: { 'TP53 p.R175H': [2, 300], 'PIK3CA p.H1047R': [2, 300] } },
    ],
    imaging: { date: '2026-01-15', progressingLesions: 2, sites: ['bone'] },
    expect: { group: 'indeterminate', rationaleContains: ['cannot exclude diffuse progression'] },
  },
  {
    id: 'GP5',
    bullet: 'Precedence: no progressing lesion',
    clinician:
      'No progressing lesion while ESR1 D538G emerges: no progression by imaging, with the ESR1 finding stated for a ctDNA-guided switch.',
    therapyHistory: FIRST_LINE,
    tumourVcf: TRUNCAL_VCF,
    draws: [
      { date: '2025-07-01', counts: { ...truncal(100, 98), 'ESR1 p.D538G': [0, 3000] } },
      { date: '2025-09-01', counts: { ...truncal(96, 103), 'ESR1 p.D538G': [0, 3000] } },
      { date: '2026-01-05', counts: { ...truncal(99, 101), 'ESR1 p.D538G': [30, 3000] } },
    ],
    imaging: { date: '2026-01-15', progressingLesions: 0 },
    expect: { group: 'no_progression', rationaleContains: ['No progressing lesion', 'ESR1 p.D538G'], targetable: ['ESR1 p.D538G'] },
  },
];
