/**
 * Display names for the groups and what the review (Merloni et al. 2024, reference in
 * reference/README.md) says usually follows. Shown as context beside the badge, never as advice.
 */
export const GROUP_LABEL: Record<string, string> = {
  true_oligoprogression: 'True oligoprogression',
  widespread_progression: 'Widespread progression',
  oligoprogression_targetable: 'Oligoprogression, targetable resistance',
  indeterminate: 'Indeterminate',
  no_progression: 'No progression',
};

export const GROUP_MEANING: Record<string, string> = {
  true_oligoprogression:
    'Few progressing sites, no diffuse progression in ctDNA, no targetable alteration emerging. Review context: local ablative therapy of the progressing sites while keeping the systemic therapy.',
  widespread_progression:
    'Many progressing sites, or ctDNA shows diffuse (molecular) progression behind few visible lesions. Review context: change of systemic therapy.',
  oligoprogression_targetable:
    'Few progressing sites and a targetable alteration in plasma whose matched drug differs from the current therapy. Review context: local therapy and a switch to the matching drug.',
  indeterminate: 'The data cannot support a group; the reason is given above.',
  no_progression: 'No progressing lesion at this assessment.',
};

/**
 * Shown only when an ESR1 finding is on the page: the two trials that switched therapy on an ESR1
 * signal in ctDNA (sources in reference/actionability/breast-actionability.tsv).
 */
export const ESR1_NOTE =
  'ESR1 ligand-binding-domain mutations are acquired under aromatase inhibitors. In PADA-1, a newly detected or rising ESR1 mutation in ' +
  'ctDNA without radiological progression led to randomisation to a switch to fulvestrant + palbociclib; in SERENA-6, ESR1 detection in ' +
  'ctDNA led to randomisation to a switch to camizestrant.';

/** Plain names of the default policy's rules; the identifier is shown small beside them. */
export const RULE_NAME: Record<string, string> = {
  rule1_no_progression: 'No progressing lesion',
  rule2_radiological_oligoprogression: 'Few progressing lesions on imaging (oligoprogression)',
  rule3_molecular_progression: 'Diffuse progression in ctDNA',
  rule4_targetable_emergence: 'Targetable alteration in plasma',
  rule5_group: 'Group from the decision table',
  rule6_indeterminate: 'ctDNA cannot decide',
};

/** Cohort rows of patients whose imaging was never classified carry this pseudo-group. */
export const NOT_ASSESSED = 'not_assessed';

export function groupLabel(group: string): string {
  if (group === NOT_ASSESSED) return 'No imaging assessment';
  return GROUP_LABEL[group] ?? group;
}

/** CSS class for a group badge; unknown group strings get a neutral class, never raw input. */
export function groupClass(group: string): string {
  if (group === NOT_ASSESSED) return 'g-not_assessed';
  return group in GROUP_LABEL ? `g-${group}` : 'g-unknown';
}
