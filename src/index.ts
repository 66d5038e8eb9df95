/**
 * oligotrack's library API. Everything the CLI does is available here as typed functions; the CLI
 * files only wire these to files and flags.
 *
 *   import { countSites } from 'oligotrack';
 *   const result = await countSites('plasma.bam', ['panel:breast']);
 */

// Counting: the contract, the use case every command counts through, the engine and site loading.
export * from './count/types.js';
export {
  countSites,
  countSample,
  type CountSampleRequest,
  type SampleCounts,
  type CountSource,
  type CountReuse,
} from './app/count-sample.js';
export { loadSitesForAlignment, loadSiteSpec, type SitesForAlignment, type SiteInput } from './app/sites.js';
export { countBam, type CountBamOptions } from './count/count-bam.js';
export { countAlignments, readAlignmentHeader, isCram } from './count/alignments.js';
export { COUNT_COLUMNS, CALL_COLUMNS, formatCountTsv } from './count/output/tsv.js';
export { formatCountJson } from './count/output/json.js';
export { formatCountVcf } from './count/output/vcf.js';
export { toOutputRow, type CountOutputRow, type CountRunInfo } from './count/output/row.js';
export { formatTsv, columnTableMarkdown, type Column, type ColumnType } from './io/table.js';
export { formatFraction, formatPValue, formatMeanLength } from './io/number-format.js';
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
export { CLASSIFICATION_COLUMNS } from './classify/output.js';
export { TIMELINE_COLUMNS } from './timeline/tsv.js';
// The use cases behind track, classify, report and run.
export { trackCohort, type TrackRequest, type TrackResult } from './app/track.js';
export {
  classifyCohort,
  writeClassification,
  type ClassifyRequest,
  type ClassifyResult,
  type BetweenDrawPriorChoice,
} from './app/classify.js';
export { reportCohort, type ReportRequest } from './app/report.js';
export { runPipeline, type RunRequest, type RunResult } from './app/run.js';
export { buildPanelOfNormals, type PonRequest } from './app/pon.js';
export { loadPolicy, parsePolicy, policySchema, type Policy } from './classify/policy.js';

// Reports.
export { buildReport, type BuildReportOptions } from './report/build-report.js';
export { renderPatientPage } from './report/html/patient-page.js';
export { renderIndexPage } from './report/html/index-page.js';

// Cohort store.
export * from './store/index.js';

export { VERSION } from './version.js';
export { UserError, UsageError } from './util/errors.js';
