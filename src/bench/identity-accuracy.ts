import { fileURLToPath } from 'node:url';
import { comparePair, DEFAULT_IDENTITY_SETTINGS } from '../identity/concordance.js';
import { loadIdentitySnps } from '../reference/identity-snps.js';
import { wilsonInterval } from '../stats/wilson.js';
import { randomPerson, rngFor, simulateSample, snpFrequencies } from './identity-sim.js';

/**
 * The identity section of `npm run accuracy`: pairs of simulated samples (identity-sim.ts) from one
 * person and from two unrelated people (a swapped tube), compared by identity/concordance.ts with
 * its default thresholds, over depth, tumour fraction and contamination. Reports the false-flag
 * rate (one person called discordant), the swap detection rate, and how often the comparison
 * declines to decide. Also runnable alone: node dist/bench/identity-accuracy.js [--pairs N].
 */

/** As many SNPs as the bundled list has verified rows (the ones `panel:identity` counts). */
export const IDENTITY_SNPS = loadIdentitySnps().length;
const DEPTHS = [20, 50, 100, 300, 1000];
const TUMOUR_FRACTIONS = [0, 0.3, 0.6, 0.8];
const CONTAMINATION = [0, 0.02];
/** Depth per identity SNP the goal is judged at: a capture panel's germline spikes sit at ≥ 100 fragments. */
export const TYPICAL_DEPTH = 100;

const pct = (x: number, d = 2): string => `${(100 * x).toFixed(d)}%`;

export function identityAccuracySection(seed: number, pairs = 4000): string[] {
  const out: string[] = [];
  const s = DEFAULT_IDENTITY_SETTINGS;
  out.push('## Sample identity (swap detection)');
  out.push('');
  out.push(
    `${IDENTITY_SNPS} SNPs (the bundled verified list), minor-allele frequencies uniform 0.3–0.5 with either allele the ALT, so ALT 0.3–0.7 (model assumes ${s.defaultAltFrequency}); depth ×0.6–1.6 per draw and log-normal (sd 0.5) per SNP; heterozygote balance beta (ρ 0.01); tumour loss of one allele at 30% of heterozygous SNPs; sequencing error 0.5%; model error rate ${s.errorRate}, tumour fraction unknown to the model (heterozygote shifts span 0–0.8); decision at log LR ±${s.discordantLogLr.toFixed(1)} (1,000:1). ${pairs} same-person and ${pairs} swapped pairs per cell; seed ${seed}.`,
  );
  out.push('');
  out.push(
    '| depth per SNP | tumour fraction | contamination | false flags (same person → discordant) | upper 95% | swaps detected | undecided (same / swap) |',
  );
  out.push('|---:|---:|---:|---:|---:|---:|---:|');
  let worstFalse = 0;
  let worstFalseHigh = 0;
  let typicalPower = 1;
  for (const depth of DEPTHS) {
    for (const tf of TUMOUR_FRACTIONS) {
      for (const cont of CONTAMINATION) {
        const r = rngFor(seed ^ (depth * 7919 + Math.round(tf * 100) * 131 + Math.round(cont * 1000)));
        let falseFlags = 0;
        let undecidedSame = 0;
        let detected = 0;
        let undecidedSwap = 0;
        for (let k = 0; k < pairs; k++) {
          // Minor-allele frequency 0.3–0.5 with either allele the ALT: a patient's own population
          // sits anywhere in 0.3–0.7 ALT (every gnomAD population has MAF ≥ 0.30 at the verified
          // SNPs), up to 0.3 from the model's prior of 0.4.
          const freqs = snpFrequencies(IDENTITY_SNPS, r).map((p) => (r() < 0.5 ? p : 1 - p));
          const me = randomPerson(freqs, r);
          const other = randomPerson(freqs, r);
          const stranger = randomPerson(freqs, r);
          const set = { snps: IDENTITY_SNPS, depth, tumourFraction: tf, contamination: cont };
          const a = simulateSample('a', 'draw', me, stranger, set, r);
          const b = simulateSample('b', 'draw', me, stranger, set, r);
          const swapped = simulateSample('c', 'draw', other, stranger, set, r);
          const same = comparePair(a, b, s).outcome;
          const swap = comparePair(a, swapped, s).outcome;
          if (same === 'discordant') falseFlags++;
          if (same === 'indeterminate') undecidedSame++;
          if (swap === 'discordant') detected++;
          if (swap === 'indeterminate') undecidedSwap++;
        }
        const hi = wilsonInterval(falseFlags, pairs).high;
        worstFalse = Math.max(worstFalse, falseFlags / pairs);
        worstFalseHigh = Math.max(worstFalseHigh, hi);
        if (depth === TYPICAL_DEPTH) typicalPower = Math.min(typicalPower, detected / pairs);
        out.push(
          `| ${depth} | ${tf} | ${pct(cont, 0)} | ${pct(falseFlags / pairs)} (${falseFlags}/${pairs}) | ${pct(hi)} | ${pct(detected / pairs)} | ${pct(undecidedSame / pairs, 1)} / ${pct(undecidedSwap / pairs, 1)} |`,
        );
      }
    }
  }
  out.push('');
  out.push(
    `- swap detected with ≥ 99% probability at ${TYPICAL_DEPTH} fragments per SNP: worst cell ${pct(typicalPower)} — ${typicalPower >= 0.99 ? 'met' : 'NOT met'}`,
  );
  out.push(
    `- false flags ≤ 0.1%: worst cell ${pct(worstFalse)} (upper 95% bound ${pct(worstFalseHigh)}) — ${worstFalse <= 0.001 ? 'met' : 'NOT met'}`,
  );
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--pairs');
  const pairs = i > 0 ? Number(process.argv[i + 1]) : 4000;
  const t0 = Date.now();
  process.stdout.write(`${identityAccuracySection(20_261_127, pairs).join('\n')}\n`);
  process.stdout.write(`Run time ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}
