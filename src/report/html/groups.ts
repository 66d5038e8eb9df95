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
    'Few progressing sites, no diffuse ctDNA progression, no emergent targetable mutation. Review context: local ablative therapy of the progressing sites while keeping the systemic therapy.',
  widespread_progression:
    'Many progressing sites, or ctDNA shows diffuse (molecular) progression. Review context: change of systemic therapy.',
  oligoprogression_targetable:
    'Few progressing sites with an emergent targetable resistance mutation (as ESR1 in PADA-1 / SERENA-6). Review context: local therapy and a switch to the matching drug.',
  indeterminate: 'The data cannot support a group; the reason is given below.',
  no_progression: 'No progressing lesion at this assessment.',
};

/** Cohort rows of patients whose imaging was never classified carry this pseudo-group. */
export const NOT_ASSESSED = 'not_assessed';

export function groupLabel(group: string): string {
  if (group === NOT_ASSESSED) return 'No imaging assessment';
  return GROUP_LABEL[group] ?? group;
}

/** CSS class for a group badge; unknown group strings get a neutral class, never raw input. */
export function groupClass(group: string): string {
  return group in GROUP_LABEL ? `g-${group}` : 'g-unknown';
}
