/**
 * `npm run accuracy`: sensitivity and specificity of the per-site calls on a dilution series, with
 * and without UMIs, beside the binomial optimum; the UMI background reduction; the per-sample test
 * at 0.05% VAF over 10 sites at 3,000×. Simulated at read level in memory (accuracy-sim.ts), through
 * the same UMI collapsing, PoN building and calling code as `oligotrack count`.
 *
 * Options: --replicates N (default 200), --sample-replicates N (default 200 positive, 2× as many
 * null), --seed S, --out FILE (Markdown tables also written there).
 */
import { writeFileSync } from 'node:fs';
import type { Site, SiteCounts } from '../count/types.js';
import { collapseUmiFamilies } from '../count/umi.js';
import { callRow } from '../stats/annotate.js';
import { backgroundFor } from '../stats/background.js';
import { binomLogUpperTail, criticalCount } from '../stats/binomial.js';
import { observedAltRate } from '../stats/lod.js';
import { binomialOptimumPower } from '../stats/optimum.js';
import { buildPon, formatPon, parsePon } from '../stats/pon.js';
import { summarizeSample } from '../stats/sample-test.js';
import type { BackgroundModel, CalledRow } from '../stats/types.js';
import { createRng, type Rng } from '../simulate/rng.js';
import { countFragments, DEFAULT_ERROR_MODEL, type ErrorModel, ObservationBuffer, simulateSite } from './accuracy-sim.js';

const VAFS = [0, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02];
const DEPTHS = [1000, 3000, 10_000];
const SITE_ALPHA = 0.01;
const SAMPLE_ALPHA = 0.01;
const MIN_DEPTH = 100;
const PON_NORMALS = 50;
const PON_MOLECULES = 10_000;
const SAMPLE_SITES = 10;
const SAMPLE_DEPTH = 3000;
const SAMPLE_VAF = 0.0005;
const REDUCTION_RUNS = 40;
const NULL_SAMPLE_FACTOR = 2;
const SITE: Site = { chrom: 'chrS', pos1: 100_001, ref: 'C', alt: 'T', gene: 'SIM', protein: '', id: 'sim' };

type Arm = 'no_umi' | 'umi';

interface Args {
  replicates: number;
  sampleReplicates: number;
  seed: number;
  out?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { replicates: 200, sampleReplicates: 200, seed: 20_261_127 };
  for (let i = 0; i < argv.length; i += 2) {
    const v = argv[i + 1];
    if (argv[i] === '--replicates') args.replicates = Number(v);
    else if (argv[i] === '--sample-replicates') args.sampleReplicates = Number(v);
    else if (argv[i] === '--seed') args.seed = Number(v);
    else if (argv[i] === '--out') args.out = v;
    else {
      process.stderr.write(`accuracy: unknown option ${argv[i]} (--replicates N --sample-replicates N --seed S --out FILE)\n`);
      process.exit(2);
    }
  }
  return args;
}

const buf = new ObservationBuffer(1 << 18);
let salt = 1;

/** Simulates one site and counts it as `count` would: families with UMIs, fragments without. */
function countSite(rng: Rng, model: ErrorModel, arm: Arm, molecules: number, vaf: number): SiteCounts {
  buf.reset();
  simulateSite(rng, model, { molecules, vaf, umi: arm === 'umi', siteIndex: 0, pos0: SITE.pos1 - 1, nameSalt: salt++ }, buf);
  const table = buf.table();
  if (arm === 'umi') return collapseUmiFamilies(table, [SITE], { minBaseq: 20, keepSingletons: true }).rows[0];
  const c = countFragments(table);
  return {
    site: SITE, depth: c.depth, refCount: c.ref, altCount: c.alt, otherCount: c.depth - c.ref - c.alt, deletions: 0, insertions: 0,
    altFwd: 0, altRev: 0, discordantMates: 0, meanFragLenRef: NaN, meanFragLenAlt: NaN, rawRefCount: c.ref, rawAltCount: c.alt, families: 0,
  };
}

/** PoN from simulated normals, through the PoN file format (written and parsed back). */
function ponModel(rng: Rng, model: ErrorModel, arm: Arm): { bg: BackgroundModel; alt: number; depth: number } {
  const siteCounts: SiteCounts[][] = [];
  let alt = 0;
  let depth = 0;
  for (let n = 0; n < PON_NORMALS; n++) {
    const row = countSite(rng, model, arm, PON_MOLECULES, 0);
    siteCounts.push([row]);
    alt += row.altCount;
    depth += row.depth;
  }
  const pon = buildPon({ sampleNames: siteCounts.map((_, i) => `normal${i + 1}`), build: 'unknown', sites: [SITE], siteCounts, settingsText: `simulated;${arm}` });
  return { bg: parsePon(formatPon(pon), `simulated-pon-${arm}.tsv`), alt, depth };
}

interface Cell {
  arm: Arm;
  depth: number;
  vaf: number;
  detected: number;
  replicates: number;
  meanDepth: number;
  lod: number;
  /** Critical alt count of our test at the mean depth (for the same-specificity optimum). */
  critical: number;
}

const pct = (x: number, digits = 1): string => `${(100 * x).toFixed(digits)}%`;

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const model = DEFAULT_ERROR_MODEL;
  const started = Date.now();
  const cells: Cell[] = [];
  const truth: Record<Arm, { alt: number; depth: number }> = { no_umi: { alt: 0, depth: 0 }, umi: { alt: 0, depth: 0 } };
  const pons: Partial<Record<Arm, BackgroundModel>> = {};
  const lines: string[] = [];
  const say = (s = ''): void => {
    lines.push(s);
    process.stdout.write(`${s}\n`);
  };

  for (const arm of ['no_umi', 'umi'] as Arm[]) {
    const rng = createRng(args.seed + (arm === 'umi' ? 1 : 0));
    const pon = ponModel(rng, model, arm);
    pons[arm] = pon.bg;
    truth[arm].alt += pon.alt;
    truth[arm].depth += pon.depth;
    const bg = backgroundFor(pon.bg, SITE);
    for (const depth of DEPTHS) {
      for (const vaf of VAFS) {
        let detected = 0;
        let depthSum = 0;
        for (let r = 0; r < args.replicates; r++) {
          const row = countSite(rng, model, arm, depth, vaf);
          const called = callRow(row, bg, SITE_ALPHA, MIN_DEPTH);
          if (called.call === 'detected') detected++;
          depthSum += row.depth;
          if (vaf === 0) {
            truth[arm].alt += row.altCount;
            truth[arm].depth += row.depth;
          }
        }
        const meanDepth = depthSum / args.replicates;
        const n = Math.round(meanDepth);
        const probe = callRow({ ...countSite(rng, model, arm, 0, 0), depth: n, altCount: 0 }, bg, SITE_ALPHA, MIN_DEPTH);
        cells.push({ arm, depth, vaf, detected, replicates: args.replicates, meanDepth, lod: probe.lod, critical: criticalCount(n, bg.rate, bg.dispersion, SITE_ALPHA) });
      }
    }
    process.stderr.write(`accuracy: ${arm} grid done (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  }

  const eTrue = (arm: Arm): number => truth[arm].alt / truth[arm].depth;
  say('### Per-site calls on the dilution series');
  say();
  say(`Per cell: sensitivity (or specificity at VAF 0) over ${args.replicates} replicates; in brackets the binomial optimum`);
  say('at the same specificity (our rule\'s exact false-positive rate at the true background) / at exactly 99% specificity.');
  say(`Site α = ${SITE_ALPHA}, background from a simulated PoN of ${PON_NORMALS} normals × ${PON_MOLECULES.toLocaleString('en-US')} molecules.`);
  let worstGap = -Infinity;
  let worstSpec = 1;
  for (const arm of ['no_umi', 'umi'] as Arm[]) {
    const e = eTrue(arm);
    const bg = backgroundFor(pons[arm]!, SITE);
    say();
    say(`**${arm === 'umi' ? 'With UMIs (family consensus)' : 'Without UMIs (one read pair per molecule)'}** — true alt background ${e.toExponential(2)}, PoN estimate ${bg.rate.toExponential(2)} (dispersion ${bg.dispersion.toExponential(1)})`);
    say();
    say(`| VAF | ${DEPTHS.map((d) => `${d.toLocaleString('en-US')} molecules`).join(' | ')} |`);
    say(`|---|${DEPTHS.map(() => '---').join('|')}|`);
    for (const vaf of VAFS) {
      const cols = DEPTHS.map((depth) => {
        const c = cells.find((x) => x.arm === arm && x.depth === depth && x.vaf === vaf)!;
        const rate = c.detected / c.replicates;
        const n = Math.round(c.meanDepth);
        if (vaf === 0) {
          worstSpec = Math.min(worstSpec, 1 - rate);
          const expectedFp = Math.exp(binomLogUpperTail(c.critical, n, e));
          return `spec ${pct(1 - rate)} (expected ${pct(1 - expectedFp, 2)})`;
        }
        const g = observedAltRate(vaf, e);
        const sameSpec = Math.exp(binomLogUpperTail(c.critical, n, g));
        const at99 = binomialOptimumPower(n, e, g, 0.01);
        worstGap = Math.max(worstGap, sameSpec - rate);
        return `${pct(rate)} (${pct(sameSpec)} / ${pct(at99)})`;
      });
      say(`| ${vaf === 0 ? '0 (specificity)' : pct(vaf, 2)} | ${cols.join(' | ')} |`);
    }
    const lods = DEPTHS.map((d) => {
      const c = cells.find((x) => x.arm === arm && x.depth === d && x.vaf === 0)!;
      return `${pct(c.lod, 3)} at ${Math.round(c.meanDepth).toLocaleString('en-US')}×`;
    });
    say(`| LoD (95% power) | ${lods.join(' | ')} |`);
  }
  const reduction = eTrue('no_umi') / eTrue('umi');
  // The same without pre-amplification damage, which no UMI scheme can remove: the reduction on
  // PCR-plus-sequencing error alone (the issue's target).
  const noDamage = { ...model, damage: 0 };
  const pcrSeq: Record<Arm, number> = { no_umi: 0, umi: 0 };
  for (const arm of ['no_umi', 'umi'] as Arm[]) {
    const rng = createRng(args.seed + 50 + (arm === 'umi' ? 1 : 0));
    let alt = 0;
    let depth = 0;
    for (let r = 0; r < REDUCTION_RUNS; r++) {
      const row = countSite(rng, noDamage, arm, PON_MOLECULES, 0);
      alt += row.altCount;
      depth += row.depth;
    }
    pcrSeq[arm] = alt / depth;
  }
  const pcrSeqReduction = pcrSeq.no_umi / pcrSeq.umi;
  say();
  say('### UMI background reduction');
  say();
  say('| error processes | without UMIs | with UMIs | reduction |');
  say('|---|---|---|---|');
  say(`| PCR + sequencing (${REDUCTION_RUNS} × ${PON_MOLECULES.toLocaleString('en-US')} molecules) | ${pcrSeq.no_umi.toExponential(2)} | ${pcrSeq.umi.toExponential(2)} | ${pcrSeqReduction.toFixed(1)}× |`);
  say(`| PCR + sequencing + damage ${model.damage} (all VAF-0 data above) | ${eTrue('no_umi').toExponential(2)} | ${eTrue('umi').toExponential(2)} | ${reduction.toFixed(1)}× |`);

  // Per-sample integrated test: 10 sites × 3,000 molecules at 0.05% VAF vs null samples.
  say();
  say('### Per-sample integrated test');
  say();
  say(`${SAMPLE_SITES} tumour-informed sites × ${SAMPLE_DEPTH.toLocaleString('en-US')} molecules, sample α = ${SAMPLE_ALPHA}; ${args.sampleReplicates} samples at ${pct(SAMPLE_VAF, 2)} VAF, ${NULL_SAMPLE_FACTOR * args.sampleReplicates} null samples.`);
  say();
  say('| arm | detection at 0.05% | specificity (null samples) | median tumour fraction estimate | p-value method |');
  say('|---|---|---|---|---|');
  const sampleResults: Record<Arm, { detection: number; specificity: number }> = { no_umi: { detection: 0, specificity: 0 }, umi: { detection: 0, specificity: 0 } };
  for (const arm of ['no_umi', 'umi'] as Arm[]) {
    const rng = createRng(args.seed + 100 + (arm === 'umi' ? 1 : 0));
    const bg = backgroundFor(pons[arm]!, SITE);
    const runSample = (vaf: number) => {
      const rows: CalledRow[] = [];
      for (let s = 0; s < SAMPLE_SITES; s++) rows.push(callRow(countSite(rng, model, arm, SAMPLE_DEPTH, vaf), bg, SITE_ALPHA, MIN_DEPTH));
      return summarizeSample(rows, { sample: 'sim', alpha: SAMPLE_ALPHA, siteAlpha: SITE_ALPHA, minDepth: MIN_DEPTH, background: 'pon' });
    };
    let hits = 0;
    const estimates: number[] = [];
    const methods = new Set<string>();
    for (let r = 0; r < args.sampleReplicates; r++) {
      const s = runSample(SAMPLE_VAF);
      if (s.detected) hits++;
      estimates.push(s.tumour_fraction.estimate);
      methods.add(s.settings.p_value_method);
    }
    let fp = 0;
    const nulls = NULL_SAMPLE_FACTOR * args.sampleReplicates;
    for (let r = 0; r < nulls; r++) if (runSample(0).detected) fp++;
    estimates.sort((a, b) => a - b);
    sampleResults[arm] = { detection: hits / args.sampleReplicates, specificity: 1 - fp / nulls };
    say(`| ${arm === 'umi' ? 'with UMIs' : 'without UMIs'} | ${pct(hits / args.sampleReplicates)} | ${pct(1 - fp / nulls)} (${fp}/${nulls} false) | ${pct(estimates[estimates.length >> 1], 3)} | ${[...methods].join(', ')} |`);
    process.stderr.write(`accuracy: ${arm} per-sample test done (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  }

  say();
  say('### Targets');
  say();
  say(`- specificity ≥ 99% at VAF 0: worst cell ${pct(worstSpec)} — ${worstSpec >= 0.99 ? 'met' : 'NOT met'}`);
  say(`- sensitivity within 10 points of the optimum at the same specificity: largest shortfall ${(100 * worstGap).toFixed(1)} points — ${worstGap <= 0.1 ? 'met' : 'NOT met'}`);
  say(`- UMI background reduction ≥ 10× on PCR-plus-sequencing error: ${pcrSeqReduction.toFixed(1)}× — ${pcrSeqReduction >= 10 ? 'met' : 'NOT met'} (with damage: ${reduction.toFixed(1)}×)`);
  const best = sampleResults.umi;
  say(`- per-sample test ≥ 90% detection at ≥ 99% specificity (with UMIs): ${pct(best.detection)} at ${pct(best.specificity)} — ${best.detection >= 0.9 && best.specificity >= 0.99 ? 'met' : 'NOT met'}`);
  say();
  say(`Error model: damage ${model.damage}, first-cycle PCR ${model.pcrFirstCycle}, late PCR ${model.pcrLate}, sequencing ${model.seq} per base (an error is the alt base 1 time in 3); family size 1 + Poisson(${model.familyMean}); UMI error ${model.umiError} per read; mates overlap the site with probability ${model.mateOverlap}. Seed ${args.seed}. Run time ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  if (args.out) writeFileSync(args.out, `${lines.join('\n')}\n`);
}

main();
