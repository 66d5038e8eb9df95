import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { siteKeyOf } from '../count/site-key.js';
import type { CountSettings, Site } from '../count/types.js';
import { type SampleRow, readSamplesheet } from '../io/samplesheet.js';
import { multiqcFiles, writeMultiqcDir } from '../report/multiqc.js';
import { annotateCounts } from '../stats/annotate.js';
import { defaultBackground, DEFAULT_BACKGROUND_RATE } from '../stats/background.js';
import { checkPonFits, parsePon } from '../stats/pon.js';
import { loadIdentitySnps } from '../reference/identity-snps.js';
import type { BackgroundModel, CalledRow } from '../stats/types.js';
import { openStore, type CohortStore } from '../store/store.js';
import { buildPatientTimeline } from '../timeline/build.js';
import { attachSampleTests } from '../timeline/sample-test.js';
import type { CalledDraw, EventSettings, PatientTimeline, WhiteCellInput } from '../timeline/types.js';
import { checkOutputDir, writeTimelineDir } from '../timeline/write-dir.js';
import { UsageError, UserError, fileError } from '../util/errors.js';
import { warn } from '../util/log.js';
import { countSample, type CountReuse, type CountSource, type SampleCounts } from './count-sample.js';

/**
 * trackCohort: count every draw of a samplesheet (and each patient's matched white cells once), call each
 * site, and build each patient's timeline into DIR (timeline.tsv, patients/<patient>.json).
 */
export interface TrackRequest {
  samplesheet: string;
  /** `--sites` for every patient; may be empty when every patient has a samplesheet `vcf`. */
  sites: readonly string[];
  outDir: string;
  settings: CountSettings;
  threads: number;
  /** Indexed FASTA that decodes CRAM draws. */
  referencePath?: string;
  /** Panel of normals: background rates and germline/CH flags; absent: the default rate. */
  ponPath?: string;
  siteAlpha: number;
  minDepth: number;
  events: EventSettings;
  /** Reuse DIR/counts/<sample>.json when file, sites and settings are unchanged. */
  cache: boolean;
  /** Precomputed count documents, read instead of counting. */
  countsDir?: string;
  /** Cohort store (created if absent): stored draws are reused, new ones ingested. */
  storePath?: string;
  /** Called after each draw is counted or reused. */
  onDraw?: (done: number, total: number, sample: string, counts: SampleCounts) => void;
}

export interface TrackResult {
  timelines: PatientTimeline[];
  draws: number;
  /** Draws (not normals) by where their counts came from. */
  bySource: Record<CountSource, number>;
}

export async function trackCohort(req: TrackRequest): Promise<TrackResult> {
  if (req.countsDir !== undefined && req.storePath !== undefined) {
    throw new UsageError('--counts-dir and --store are exclusive (ingest the count JSONs with: oligotrack store ingest)');
  }
  const samples = readSamplesheet(req.samplesheet);
  checkOutputDir(req.outDir);
  const informedByPatient = tumourInformedVcfsByPatient(samples);
  if (req.sites.length === 0) {
    const bare = samples.find((s) => !informedByPatient.has(s.patient));
    if (bare)
      throw fileError(
        req.samplesheet,
        `patient ${bare.patient} has no 'vcf' (tumour-informed sites) and no --sites was given: nothing to count`,
        bare.line,
      );
  }
  const background = readBackground(req.ponPath);
  if (req.countsDir !== undefined && (!existsSync(req.countsDir) || !statSync(req.countsDir).isDirectory())) {
    throw new UserError(`${req.countsDir}: --counts-dir is not a directory`);
  }
  // The store is created on first use: a lab's cohort store starts with its first track run.
  const store = req.storePath !== undefined ? openStore(req.storePath, { create: true }) : null;
  try {
    return await trackSamples(req, samples, informedByPatient, background, store);
  } finally {
    store?.close();
  }
}

function readBackground(ponPath: string | undefined): BackgroundModel {
  if (ponPath === undefined) return defaultBackground();
  let text: string;
  try {
    text = readFileSync(ponPath, 'utf8');
  } catch (e) {
    throw new UserError(`${ponPath}: cannot read panel of normals (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const pon = parsePon(text, ponPath);
  for (const w of pon.warnings) warn(w);
  return pon;
}

async function trackSamples(
  req: TrackRequest,
  samples: SampleRow[],
  informedByPatient: Map<string, string[]>,
  background: BackgroundModel,
  store: CohortStore | null,
): Promise<TrackResult> {
  const reuse: CountReuse = { cacheDir: req.cache ? join(req.outDir, 'counts') : null, countsDir: req.countsDir ?? null, store };
  const count = (path: string, name: string, tumourInformed: string[]) =>
    countSample({
      path,
      sites: req.sites,
      tumourInformed,
      settings: req.settings,
      name,
      threads: req.threads,
      referencePath: req.referencePath,
      reuse,
    });
  const callSettings = {
    background: background.kind,
    background_origin: req.ponPath ?? `default rate ${DEFAULT_BACKGROUND_RATE}`,
    site_alpha: req.siteAlpha,
    min_depth: req.minDepth,
  };
  const annotate = { background, alpha: req.siteAlpha, minDepth: req.minDepth };

  // Count every draw (and each patient's matched white cells once), in samplesheet order.
  const whiteCells = new Map<string, WhiteCellInput>();
  const called = new Map<string, CalledDraw>();
  const calledRows = new Map<string, CalledRow[]>();
  const bySource: Record<CountSource, number> = { counted: 0, cache: 0, store: 0, 'counts-dir': 0 };
  const ponNotes = new Set<string>();
  let done = 0;
  for (const s of samples) {
    const tumourInformed = informedByPatient.get(s.patient) ?? [];
    const counts = await count(s.bam, s.sample, tumourInformed);
    bySource[counts.source]++;
    for (const w of counts.warnings) warn(w);
    const sites: Site[] = counts.rows.map((r) => r.site);
    // Private tumour-informed sites the PoN lacks take their class's rate: say so once per message.
    for (const w of checkPonFits(background, sites, counts.build)) {
      if (ponNotes.has(w)) continue;
      ponNotes.add(w);
      warn(w);
    }
    const rows = annotateCounts({ rows: counts.rows }, annotate);
    const known = whiteCells.get(s.patient);
    if (s.normal && !known) {
      // Counted at the patient's sites (panel + tissue VCF) and called against the same background:
      // classify tests each site there against that background and its dispersion (never ≥ 1% / ≥ 3 reads).
      const n = await count(s.normal, `${s.sample}.normal`, tumourInformed);
      for (const w of n.warnings) warn(w);
      const nRows = annotateCounts({ rows: n.rows }, annotate);
      whiteCells.set(s.patient, { bam: normalAsWritten(req.samplesheet, s.normal), sample: `${s.patient} white cells`, rows: nRows });
    } else if (s.normal && known && normalAsWritten(req.samplesheet, s.normal) !== known.bam) {
      warn(
        `${req.samplesheet}: patient ${s.patient} names two white-cell BAMs; ${known.bam} is used, ${normalAsWritten(req.samplesheet, s.normal)} is ignored`,
      );
    }
    called.set(s.sample, drawOf(s, counts, rows));
    calledRows.set(s.sample, rows);
    req.onDraw?.(++done, samples.length, s.sample, counts);
  }

  // Identity SNPs (panel:identity) are checked for sample identity and never tracked.
  const identityIds = new Set(loadIdentitySnps().map((x) => x.rsid));
  const timelines: PatientTimeline[] = [];
  const byPatient = new Map<string, SampleRow[]>();
  for (const s of samples) byPatient.set(s.patient, [...(byPatient.get(s.patient) ?? []), s]);
  for (const [patient, rows] of byPatient) {
    const draws = rows.map((r) => called.get(r.sample)!);
    const order = draws[0].rows.map((r) => siteKeyOf(r.site));
    for (const d of draws) d.rows = alignRows(d.rows, order, `${req.samplesheet}: sample ${d.sample}`);
    const wc = whiteCells.get(patient);
    if (wc) wc.rows = alignRows(wc.rows, order, `${req.samplesheet}: white cells of ${patient}`);
    const timeline = buildPatientTimeline({
      patient,
      draws,
      countSettings: req.settings,
      eventSettings: req.events,
      callSettings,
      whiteCells: wc,
      identityIds,
    });
    const rowsByDraw = rows.map((r) => calledRows.get(r.sample)!);
    attachSampleTests(timeline, rowsByDraw, {
      alpha: req.siteAlpha,
      siteAlpha: req.siteAlpha,
      minDepth: req.minDepth,
      background: background.kind,
    });
    timelines.push(timeline);
  }
  writeTimelineDir(req.outDir, timelines);
  // Lab QC beside the timelines: `multiqc OUT-DIR` shows one oligotrack row per draw, with the
  // identity result when identity SNPs were counted ("not checked" otherwise, never a pass).
  writeMultiqcDir(
    join(req.outDir, 'multiqc'),
    multiqcFiles(
      timelines,
      timelines.flatMap((t) => (t.identity ? [t.identity] : [])),
    ),
  );
  return { timelines, draws: samples.length, bySource };
}

/** The white-cell BAM relative to the samplesheet, so the timeline does not depend on where it was run. */
function normalAsWritten(samplesheet: string, normal: string): string {
  return relative(dirname(resolve(samplesheet)), normal)
    .split(sep)
    .join('/');
}

function drawOf(s: SampleRow, counts: SampleCounts, rows: CalledRow[]): CalledDraw {
  const d: CalledDraw = {
    sample: s.sample,
    collectionDate: s.collectionDate,
    collectionDay: s.collectionDay,
    bam: s.bamAsGiven,
    readsSeen: counts.readsSeen,
    readsPassing: counts.readsPassing,
    rows,
  };
  if (s.timepoint !== undefined) d.timepoint = s.timepoint;
  if (s.therapy !== undefined) d.therapy = s.therapy;
  if (counts.tumourInformed.size > 0) d.tumourInformed = counts.tumourInformed;
  if (counts.tissueSomatic.size > 0) d.tissueSomatic = counts.tissueSomatic;
  return d;
}

/**
 * The tumour-informed VCFs of each patient (the samplesheet's `vcf` column): every distinct `vcf`
 * cell of the patient's rows, in samplesheet order. They apply to all of that patient's draws
 * (tissue calls do not change with the plasma draw), so every draw is counted at the same sites.
 */
export function tumourInformedVcfsByPatient(samples: readonly { patient: string; vcf?: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of samples) {
    if (s.vcf === undefined) continue;
    const list = out.get(s.patient) ?? [];
    if (!list.includes(s.vcf)) list.push(s.vcf);
    out.set(s.patient, list);
  }
  return out;
}

/** Reorders one draw's rows to a reference key order (the patient's first draw), by site key. */
function alignRows<T extends { site: Site }>(rows: readonly T[], order: readonly string[], where: string): T[] {
  const byKey = new Map(rows.map((r) => [siteKeyOf(r.site), r]));
  return order.map((k) => {
    const r = byKey.get(k);
    if (!r) throw new UserError(`${where}: site ${k} missing`);
    return r;
  });
}
