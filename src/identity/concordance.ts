import { logSumExp } from '../util/log-sum-exp.js';
import { callGenotype, genotypeLogLikelihoods, genotypeLogPriors } from './genotype.js';
import type { IdentitySample, IdentitySettings, PairComparison, PatientIdentity, SampleIdentity } from './types.js';

/**
 * Are two samples from one person? The likelihood ratio of the SNP counts under "one genotype
 * shared by both" against "two genotypes drawn independently from the population" (Hardy–Weinberg
 * at each SNP's allele frequency), multiplied over SNPs — the genotype-concordance statistic of
 * sample-tracking tools, with genotype uncertainty carried instead of hard calls:
 *   LR_i = Σ_g π(g) L_a(g) L_b(g) / [Σ_g π(g) L_a(g) · Σ_g π(g) L_b(g)].
 * Thresholds: see DEFAULT_IDENTITY_SETTINGS and docs/methods/identity.md (simulation).
 */

export const DEFAULT_IDENTITY_SETTINGS: IdentitySettings = {
  // 2%: sequencing error after base-quality 20 is ~0.1–1%; the rest allows for low-level
  // contamination of a draw. Policy choice, checked by the simulation at 0.5% and 2% contamination.
  errorRate: 0.02,
  // Policy choice inside the bundled SNPs' selection range (0.3–0.5): frequencies not verified per SNP.
  defaultAltFrequency: 0.4,
  // Unknown: the heterozygote model spans tumour fractions up to 0.8 (genotype.ts).
  defaultTumourFraction: null,
  // Odds of 1,000:1 either way (natural log 6.9): thresholds the simulation validates (identity.md).
  discordantLogLr: Math.log(1000),
  concordantLogLr: Math.log(1000),
  minDepth: 10,
};

export function comparePair(
  a: IdentitySample,
  b: IdentitySample,
  settings: IdentitySettings,
  altFrequency: (key: string) => number = () => settings.defaultAltFrequency,
): PairComparison {
  const bByKey = new Map(b.snps.map((s) => [s.key, s]));
  const tfA = tumourFractionOf(a, settings);
  const tfB = tumourFractionOf(b, settings);
  let logLr = 0;
  let compared = 0;
  let mismatches = 0;
  for (const sa of a.snps) {
    const sb = bByKey.get(sa.key);
    if (!sb) continue;
    if (sa.refCount + sa.altCount < settings.minDepth || sb.refCount + sb.altCount < settings.minDepth) continue;
    const p = altFrequency(sa.key);
    const pr = genotypeLogPriors(p);
    const la = genotypeLogLikelihoods(sa.refCount, sa.altCount, settings.errorRate, tfA);
    const lb = genotypeLogLikelihoods(sb.refCount, sb.altCount, settings.errorRate, tfB);
    const same = logSumExp([0, 1, 2].map((g) => pr[g] + la[g] + lb[g]));
    const diff = logSumExp([0, 1, 2].map((g) => pr[g] + la[g])) + logSumExp([0, 1, 2].map((g) => pr[g] + lb[g]));
    logLr += same - diff;
    compared++;
    const ga = callGenotype(sa, settings, tfA, p).genotype;
    const gb = callGenotype(sb, settings, tfB, p).genotype;
    if (ga !== null && gb !== null && ga !== gb) mismatches++;
  }
  const outcome = logLr <= -settings.discordantLogLr ? 'discordant' : logLr >= settings.concordantLogLr ? 'concordant' : 'indeterminate';
  return {
    a: a.sample,
    b: b.sample,
    logLr: Math.round(logLr * 1000) / 1000,
    snpsCompared: compared,
    genotypeMismatches: mismatches,
    outcome,
  };
}

function tumourFractionOf(s: IdentitySample, settings: IdentitySettings): number | null {
  if (s.kind === 'normal') return 0;
  return s.tumourFraction ?? settings.defaultTumourFraction;
}

/**
 * A patient's draws (and white-cell sample) compared pairwise. With a white-cell sample each draw
 * is judged against it. Without one, a draw is discordant when it disagrees with more of the other
 * draws than it agrees with (a swapped tube disagrees with every other draw, which agree among
 * themselves); with two draws only, a disagreeing pair flags both (which tube is wrong cannot be
 * told).
 */
export function checkPatientIdentity(
  patient: string,
  samples: readonly IdentitySample[],
  settings: IdentitySettings = DEFAULT_IDENTITY_SETTINGS,
  altFrequency?: (key: string) => number,
): PatientIdentity {
  const withData = samples.filter((s) => s.snps.length > 0);
  const genotypesOf = (s: IdentitySample) =>
    s.snps.map((x) =>
      callGenotype(x, settings, tumourFractionOf(s, settings), altFrequency ? altFrequency(x.key) : settings.defaultAltFrequency),
    );
  if (withData.length === 0 || samples.every((s) => s.snps.length === 0)) {
    return {
      patient,
      status: 'not_checked',
      reason: 'identity: not checked (no identity SNP among the counted sites)',
      samples: samples.map((s) => ({
        sample: s.sample,
        kind: s.kind,
        status: 'insufficient',
        reason: 'no identity SNP counted',
        genotypes: [],
      })),
      pairs: [],
      settings,
    };
  }
  const pairs: PairComparison[] = [];
  for (let i = 0; i < samples.length; i++)
    for (let j = i + 1; j < samples.length; j++) pairs.push(comparePair(samples[i], samples[j], settings, altFrequency));
  const normal = samples.find((s) => s.kind === 'normal');
  const draws = samples.filter((s) => s.kind === 'draw');
  const result: SampleIdentity[] = samples.map((s) => {
    const mine = pairs.filter((p) => p.a === s.sample || p.b === s.sample);
    const other = (p: PairComparison) => (p.a === s.sample ? p.b : p.a);
    const judged = normal && s !== normal ? mine.filter((p) => other(p) === normal.sample) : mine;
    const disc = judged.filter((p) => p.outcome === 'discordant');
    const conc = judged.filter((p) => p.outcome === 'concordant');
    const versus = normal && s !== normal ? `the white-cell sample ${normal.sample}` : `${judged.length} other sample(s)`;
    let status: SampleIdentity['status'];
    let reason: string;
    if (disc.length > conc.length || (draws.length === 2 && !normal && disc.length > 0)) {
      status = 'discordant';
      reason = `genotypes at identity SNPs disagree with ${disc.map(other).join(', ')} (log LR ${Math.min(...disc.map((p) => p.logLr)).toFixed(1)}): not the same person as ${versus}`;
    } else if (conc.length > disc.length) {
      status = 'concordant';
      reason =
        disc.length === 0
          ? `genotypes agree with ${versus}`
          : `genotypes agree with ${conc.length} of ${judged.length} other samples (disagree with ${disc.map(other).join(', ')})`;
    } else {
      status = 'insufficient';
      const most = Math.max(0, ...judged.map((p) => p.snpsCompared));
      reason =
        judged.length === 0
          ? 'no other sample to compare with'
          : disc.length > 0
            ? `as many samples disagree (${disc.map(other).join(', ')}) as agree: cannot tell which tube is wrong`
            : `too little SNP data to decide (${most} SNP(s) with ≥ ${settings.minDepth} fragments in both samples)`;
    }
    return { sample: s.sample, kind: s.kind, status, reason, genotypes: genotypesOf(s) };
  });
  const flagged = result.filter((r) => r.status === 'discordant');
  const status = flagged.length > 0 ? 'discordant' : result.every((r) => r.status === 'concordant') ? 'pass' : 'insufficient';
  const reason =
    status === 'discordant'
      ? `identity: ${flagged.map((r) => r.sample).join(', ')} not from the same person (sample swap?)`
      : status === 'pass'
        ? `identity: ${samples.length} samples concordant`
        : `identity: insufficient SNP data for ${result
            .filter((r) => r.status === 'insufficient')
            .map((r) => r.sample)
            .join(', ')}`;
  return { patient, status, reason, samples: result, pairs, settings };
}
