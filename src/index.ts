/**
 * oligotrack's library API. Everything the CLI does is available here as typed functions; the CLI
 * files only wire these to files and flags.
 *
 *   import { countSites } from 'oligotrack';
 *   const result = await countSites('plasma.bam', ['panel:breast']);
 */

// Counting: the contract, the high-level call, the engine and site loading.
export * from './count/types.js';
export { countSites, loadSitesForBam, type SitesForBam } from './count/count-sites.js';
export { countBam, type CountBamOptions } from './count/count-bam.js';
export { collapseUmiFamilies, type UmiCollapseResult, type UmiOptions } from './count/umi.js';
export { GENOME_BUILDS, detectBuild } from './count/genome-build.js';
export { parseRegion, formatRegion, type Region } from './count/region.js';
export { readBamHeader, type BamHeader as BamHeaderInfo } from './io/bam-header.js';

// Writing BAMs (tests, simulation) and simulating cfDNA.
export type { SamRecord, BamHeader } from './io/sam-record.js';
export { writeBam, encodeBam, encodeBamWithIndex, BamStreamWriter } from './io/bam-writer.js';
export { simulateSample, simulateToBam, type SimulationResult } from './simulate/simulate.js';
export { createRng, Rng } from './simulate/rng.js';

// Statistics at plasma allele fractions.
export * from './stats/types.js';
// timeline/types.ts declares the same union; one name for both.
export type { SiteCall } from './stats/types.js';
export { annotateCounts, DEFAULT_SITE_ALPHA, DEFAULT_MIN_DEPTH } from './stats/annotate.js';
export { summarizeSample } from './stats/sample-test.js';
export { wilsonInterval } from './stats/wilson.js';
export { binomUpperTail, betaBinomLogUpperTail } from './stats/binomial.js';
export { limitOfDetection } from './stats/lod.js';
export { buildPon, parsePon, formatPon } from './stats/pon.js';
export { defaultBackground, inSampleBackground } from './stats/background.js';
export { tumourFraction, TUMOUR_FRACTION_METHOD, type TumourFractionEstimate } from './stats/tumour-fraction.js';

// Reference knowledge: panel, actionability, evidence.
export * from './reference/index.js';

// Serial tracking and classification.
export * from './timeline/types.js';
export { buildPatientTimeline } from './timeline/build.js';
export { increasePValue, decreasePValue, foldChange } from './timeline/two-count-test.js';
// The longitudinal model of the tumour signal (docs/methods/statistics.md).
export * from './timeline/longitudinal/types.js';
export { assessMolecularChange } from './timeline/longitudinal/model.js';
export { siteTrends, type TrendInput } from './timeline/longitudinal/trend.js';
export { estimateCohortPrior, type CohortSeries, type CohortPriorEstimate } from './timeline/longitudinal/prior.js';
export { readSamplesheet, parseSamplesheet, type SampleRow } from './io/samplesheet.js';
export * from './classify/types.js';
export { classifyAssessment } from './classify/rules.js';
export { loadPolicy, parsePolicy, policySchema, type Policy } from './classify/policy.js';

// Reports.
export { buildReport, type BuildReportOptions } from './report/build-report.js';
export { renderPatientPage } from './report/html/patient-page.js';
export { renderIndexPage } from './report/html/index-page.js';

// Cohort store.
export * from './store/index.js';

export { VERSION } from './version.js';
export { UserError, UsageError } from './util/errors.js';
