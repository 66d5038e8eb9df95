/**
 * The one plain sentence of a MolecularChange: what the status rests on, with the numbers a
 * tumour board needs (fold and interval, the nadir phase, the bound that rules a rise out or could
 * not, the power to see the policy's fold).
 */
import type { DrawComparison, MolecularChange } from './types.js';

export const fmtFold = (x: number | null, infinite = false): string =>
  infinite ? 'from zero' : x === null ? 'unbounded' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
const fmtP = (p: number) => (p < 1e-4 ? p.toExponential(1) : p.toPrecision(2));
const fmtPct = (x: number | null) => (x === null ? 'NA' : `${(100 * x).toPrecision(2)}%`);
const list = (s: string[]) => (s.length <= 3 ? s.join(', ') : `${s[0]} … ${s[s.length - 1]} (${s.length} draws)`);

function foldText(c: DrawComparison, level: number): string {
  const fold = c.fold_infinite ? 'a rise from no alt read' : `${fmtFold(c.fold)}-fold`;
  return `${fold} (${Math.round(100 * level)}% CI ${fmtFold(c.low)}–${fmtFold(c.high)}) from the nadir phase (${list(c.nadir_draws)}, ${fmtPct(c.nadir_allele_fraction)}) to ${c.sample} (${fmtPct(c.window_allele_fraction)})`;
}

export function describeChange(m: MolecularChange, c: DrawComparison | null, sitesWithReads: number): string {
  const F = m.settings.fold;
  const sitesText = `${c ? c.sites_used : sitesWithReads} clonal site(s)`;
  if (m.status === 'not_evaluable' || c === null) {
    const why = c?.note ?? 'no window draw';
    return `The change from the nadir cannot be assessed: ${c ? `${c.sample}: ` : ''}${why}.`;
  }
  const level = m.settings.intervalLevel;
  if (m.status === 'progression') {
    return `Tumour level ${foldText(c, level)} over ${sitesText}: a rise (Holm-adjusted p = ${fmtP(c.p_holm as number)} < ${m.settings.alpha}) of at least the ${F}-fold policy threshold.`;
  }
  const ub = `upper ${Math.round(100 * m.settings.ruleOutLevel)}% bound ${fmtFold(c.upper_bound)}`;
  if (m.status === 'ruled_out') {
    return `A ${F}-fold rise is ruled out: tumour level ${foldText(c, level)} over ${sitesText}, ${ub} < ${F}.`;
  }
  const power =
    c.power_at_fold === null
      ? 'power not computable (no alt read in the nadir phase)'
      : `power to call a true ${F}-fold rise ${fmtPct(c.power_at_fold)}${c.fold_80_power !== null ? ` (80% power only for a ${fmtFold(c.fold_80_power)}-fold rise)` : ''}`;
  return `A ${F}-fold rise can be neither shown nor ruled out: tumour level ${foldText(c, level)} over ${sitesText}, ${ub} ≥ ${F}; ${power}.`;
}
