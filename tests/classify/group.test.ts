import { describe, expect, it } from 'vitest';
import type { ClonalSet } from '../../src/classify/clonal-set.js';
import type { CtdnaReturn } from '../../src/classify/ctdna-return.js';
import { decideGroup, type GroupInputs } from '../../src/classify/group.js';
import type { ChangeDecision, ChangeVerdict } from '../../src/classify/model.js';
import type { SiteOriginResult } from '../../src/classify/site-origin.js';
import type { TargetableFinding } from '../../src/classify/targetable-findings.js';

const CLONAL: ClonalSet = {
  keys: ['a', 'b'],
  method: 'tumour_vcf',
  text: 'clonal set: 2 sites from the tumour VCF (TP53 p.R175H, PIK3CA p.H1047R)',
  excluded: [],
};
const NO_RETURN: CtdnaReturn = { status: 'no_return', clearedSamples: [], returnSample: null, pooledVaf: null, floor: 0.005, text: '' };
const molecular = (decision: ChangeDecision): ChangeVerdict => ({
  decision,
  fold: 1,
  lower: 0.5,
  upper: 1.8,
  text: `model says ${decision}`,
});
const finding = (qualifies: boolean): TargetableFinding => ({
  key: 'e',
  gene: 'ESR1',
  protein: 'p.D538G',
  label: 'ESR1 p.D538G',
  detected: true,
  qValue: 1e-5,
  draw: null,
  history: 'newly_emerged',
  trend: null,
  therapies: ['elacestrant'],
  source: 's',
  matchedAgents: ['elacestrant'],
  currentClasses: [],
  unknownTherapyWords: [],
  differs: true,
  resistsCurrent: [],
  qualifies,
  why: qualifies ? 'a new finding on the current therapy' : 'shown',
  text: qualifies ? 'ESR1 p.D538G detected in the window, newly emerged' : 'ESR1 p.D538G: actionable, shown',
});
const base = (over: Partial<GroupInputs> = {}): GroupInputs => ({
  lesions: 2,
  newLesions: 0,
  maxOligo: 5,
  windowProblem: null,
  identityProblem: null,
  windowText: 'window draws d1 3 days before the scan',
  baselineText: 'baseline: 1 draw',
  clonalSet: CLONAL,
  molecular: molecular('ruled_out'),
  ctdnaReturn: NO_RETURN,
  emerged: null,
  minEmerged: 2,
  findings: [],
  origins: [],
  caveats: [],
  ...over,
});

describe('group precedence', () => {
  it('widespread first: radiological, then molecular; a targetable finding is listed but does not win', () => {
    const radio = decideGroup(base({ lesions: 7, findings: [finding(true)] }));
    expect(radio.group).toBe('widespread_progression');
    expect(radio.rationale).toMatch(/^7 progressing lesions > 5 \(radiological widespread progression\)\./);
    expect(radio.rationale).toContain('Targetable: ESR1 p.D538G');
    const mol = decideGroup(base({ molecular: molecular('progression'), findings: [finding(true)] }));
    expect([mol.group, mol.molecularProgression]).toEqual(['widespread_progression', true]);
    expect(mol.rationale).toContain('but diffuse molecular progression: model says progression.');
    // The model's words are quoted once, not again in the ctDNA sentence.
    expect(mol.rationale.split('model says progression').length).toBe(2);
  });

  it('targetable when a qualifying finding exists and diffuse progression is not shown; an undecided change keeps the group with the caveat', () => {
    const ruledOut = decideGroup(base({ findings: [finding(true)] }));
    expect(ruledOut.group).toBe('oligoprogression_targetable');
    expect(ruledOut.rationale).toContain('with a targetable finding; no diffuse molecular progression');
    for (const d of ['undecided', 'not_evaluable'] as const) {
      const r = decideGroup(base({ molecular: molecular(d), findings: [finding(true)] }));
      expect([r.group, r.molecularProgression]).toEqual(['oligoprogression_targetable', null]);
      expect(r.rationale).toContain(`diffuse progression not excluded (model says ${d})`);
    }
    const noClonal = decideGroup(
      base({ molecular: null, clonalSet: { keys: [], method: 'none', text: 'no clonal set: x', excluded: [] }, findings: [finding(true)] }),
    );
    expect(noClonal.rationale).toContain('diffuse progression not excluded (no clonal set: x)');
  });

  it('true oligoprogression only when diffuse progression is ruled out; otherwise indeterminate, saying why', () => {
    expect(decideGroup(base()).group).toBe('true_oligoprogression');
    expect(decideGroup(base({ findings: [finding(false)] })).group).toBe('true_oligoprogression');
    for (const d of ['undecided', 'not_evaluable'] as const) {
      const r = decideGroup(base({ molecular: molecular(d) }));
      expect(r.group).toBe('indeterminate');
      expect(r.indeterminateReason).toBe(`ctDNA cannot exclude diffuse progression: model says ${d}`);
    }
  });

  it('no draw in the window → indeterminate before anything molecular; no progressing lesion → no_progression whatever ctDNA says', () => {
    const none = decideGroup(base({ windowProblem: 'no ctDNA draw in the window (…)', findings: [finding(true)] }));
    expect(none.group).toBe('indeterminate');
    expect(none.rationale).toMatch(/^2 progressing lesions ≤ 5, but ctDNA cannot decide: no ctDNA draw in the window/);
    const zero = decideGroup(base({ lesions: 0, molecular: molecular('progression'), findings: [finding(true)] }));
    expect([zero.group, zero.molecularProgression]).toEqual(['no_progression', true]);
    expect(zero.rationale).toMatch(
      /^No progressing lesion at this assessment\. ctDNA shows molecular progression without radiological progression/,
    );
  });

  it('a return below the floor rules diffuse progression out even against an infinite fold; above it shows it; the rationale says which group follows', () => {
    const below: CtdnaReturn = {
      ...NO_RETURN,
      status: 'below_floor',
      text: 'ctDNA return after clearance (…): pooled clonal VAF 0.13% …, below the 0.50% floor',
    };
    const r = decideGroup(base({ molecular: molecular('progression'), ctdnaReturn: below }));
    expect(r.group).toBe('true_oligoprogression');
    expect(r.rationale).toContain(
      'below the 0.50% floor → true_oligoprogression: the return is compatible with the shedding of the 2 progressing lesions',
    );
    const above: CtdnaReturn = {
      ...NO_RETURN,
      status: 'above_floor',
      text: 'ctDNA return after clearance (…): pooled clonal VAF 1.5% …, above the 0.50% floor',
    };
    const a = decideGroup(base({ ctdnaReturn: above }));
    expect(a.group).toBe('widespread_progression');
    expect(a.rationale).toContain('The return → widespread_progression: more ctDNA than 2 progressing lesions shed');
    const t = decideGroup(base({ molecular: molecular('progression'), ctdnaReturn: below, findings: [finding(true)] }));
    expect(t.group).toBe('oligoprogression_targetable');
  });

  it('several non-targetable tumour sites emerging at one draw are diffuse progression at the policy count, not below it', () => {
    const two = decideGroup(base({ emerged: { count: 2, sample: 'd1', labels: ['GATA3 p.R330Q', 'MAP3K1 p.E303K'] } }));
    expect(two.group).toBe('widespread_progression');
    expect(two.rationale).toContain('2 non-targetable tumour sites emerged at d1 (GATA3 p.R330Q, MAP3K1 p.E303K)');
    expect(decideGroup(base({ emerged: { count: 1, sample: 'd1', labels: ['GATA3 p.R330Q'] } })).group).toBe('true_oligoprogression');
  });

  it('CH and germline notes: plasma-only CH sites in one sentence with the recommendation; white-cell and germline reasons as given', () => {
    const origins: SiteOriginResult[] = [
      { key: 'x', label: 'TP53 p.R248Q', origin: 'possible_ch', reason: '…', whiteCells: null },
      { key: 'y', label: 'TP53 p.R273H', origin: 'possible_ch', reason: '…', whiteCells: null },
      {
        key: 'z',
        label: 'TP53 p.P72R',
        origin: 'germline_like',
        reason: 'TP53 p.P72R at 50% in every draw …: germline-like, not used for the tumour fraction',
        whiteCells: null,
      },
      { key: 'w', label: 'PIK3CA p.H1047R', origin: 'tumour', reason: '', whiteCells: null },
    ];
    const r = decideGroup(base({ origins }));
    expect(r.rationale).toContain(
      'TP53 p.R248Q, TP53 p.R273H (plasma only, CH-prone genes, not in the tissue): possible clonal haematopoiesis: white-cell sequencing recommended; never counted as tumour.',
    );
    expect(r.rationale).toContain('germline-like, not used for the tumour fraction.');
  });

  it("a window draw that is not the patient's → indeterminate with the reason, before anything molecular; caveats come last", () => {
    const swap = "draw d1 does not match the patient's other draws (possible sample swap)";
    const r = decideGroup(base({ identityProblem: swap, molecular: molecular('progression'), findings: [finding(true)] }));
    expect(r.group).toBe('indeterminate');
    expect(r.indeterminateReason).toBe(swap);
    expect(r.rationale).toMatch(
      /^2 progressing lesions ≤ 5, but ctDNA cannot decide: draw d1 does not match the patient's other draws \(possible sample swap\)\./,
    );
    // Imaging alone still decides: more lesions than the threshold, or none.
    expect(decideGroup(base({ identityProblem: swap, lesions: 7 })).group).toBe('widespread_progression');
    expect(decideGroup(base({ identityProblem: swap, lesions: 0 })).group).toBe('no_progression');
    const c = decideGroup(base({ caveats: ['identity: not checked (no identity SNP among the counted sites)'] }));
    expect(c.rationale).toMatch(/ Caveats: identity: not checked \(no identity SNP among the counted sites\)\.$/);
  });

  it('new lesions are named in the lead', () => {
    expect(decideGroup(base({ newLesions: 1 })).rationale).toMatch(/^2 progressing lesions \(1 new lesion\) ≤ 5/);
  });
});
