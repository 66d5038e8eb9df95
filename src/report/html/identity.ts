import type { DrawIdentity, DrawSummary, PatientReport } from '../types.js';
import { isLeftOut } from '../identity.js';
import { esc } from './escape.js';

/**
 * How a draw's sample-identity check reads on the page. A discordant draw may be another person's
 * tube: classify left it out, so wherever its counts are shown it carries the same mark.
 */

const WORDS: Record<Exclude<DrawIdentity, 'discordant'>, string> = {
  concordant: 'concordant',
  insufficient: 'insufficient (not decided)',
  not_checked: 'not checked',
};

export const SWAP_MARK = '<span class="flag" data-identity="discordant">identity discordant: possible sample swap</span>';

/** The identity cell of the draws table. */
export function identityCell(d: DrawSummary): string {
  if (d.identity === 'discordant') return `${SWAP_MARK}<br><span class="muted">left out of the classification</span>`;
  return `<span data-identity="${esc(d.identity)}">${esc(WORDS[d.identity] ?? d.identity)}</span>`;
}

/** Samples of the draws whose identity check is discordant. */
export function swappedSamples(r: PatientReport): Set<string> {
  return new Set(r.draws.filter(isLeftOut).map((d) => d.sample));
}
