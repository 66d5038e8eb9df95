import { readAlignmentHeader } from '../count/alignments.js';
import { detectBuild } from '../count/genome-build.js';
import { settingsRecord } from '../count/output/row.js';
import type { CountSettings, Site, SiteCounts } from '../count/types.js';
import type { BamHeader } from '../io/bam-header.js';
import { type PositionBaseCounts, probeRowsToBaseCounts, type TargetInterval } from '../stats/background.js';
import { buildPon, type PonTable } from '../stats/pon.js';
import { UsageError, UserError } from '../util/errors.js';
import { info, warn } from '../util/log.js';
import { readTargets, targetProbes } from './count-calls.js';
import { countSample } from './count-sample.js';
import { sampleNameFromHeader } from './sample-name.js';
import type { SiteInput } from './sites.js';

/**
 * `oligotrack pon`'s use case: count every normal exactly as the samples will be counted (the same
 * site loading, settings and UMI collapsing), then estimate the per-site and per-class background.
 */
export interface PonRequest {
  /** Normal plasma / healthy donor BAMs or CRAMs. */
  paths: readonly string[];
  sites: readonly SiteInput[];
  /** Capture targets BED: class rates from every target position. */
  targetsPath?: string;
  settings: CountSettings;
  threads: number;
  referencePath?: string;
}

export async function buildPanelOfNormals(req: PonRequest): Promise<PonTable> {
  if (req.paths.length === 0) throw new UsageError('--bam: give at least one normal BAM');
  if (new Set(req.paths).size !== req.paths.length) throw new UsageError('--bam: the same BAM is given twice');
  if (req.paths.length < 2) warn('one normal BAM: no dispersion can be estimated (every dispersion is 0); 10 or more normals are advised');

  const headers: BamHeader[] = [];
  for (const path of req.paths) headers.push(await readAlignmentHeader(path));
  const builds = headers.map((h) => detectBuild(h.refs));
  const build = builds.find((b) => b !== 'unknown') ?? 'unknown';
  builds.forEach((b, i) => {
    if (b !== 'unknown' && b !== build)
      throw new UserError(`${req.paths[i]}: genome build ${b} differs from ${build} of the other normals`);
  });
  const targets: TargetInterval[] | undefined = req.targetsPath !== undefined ? readTargets(req.targetsPath) : undefined;
  const positions = targets ? targets.reduce((n, t) => n + t.end0 - t.start0, 0) : 0;

  const sampleNames: string[] = [];
  const siteCounts: SiteCounts[][] = [];
  const targetPositions: PositionBaseCounts[][] = [];
  let userSites: Site[] | null = null;
  for (let i = 0; i < req.paths.length; i++) {
    const path = req.paths[i];
    const name = sampleNameFromHeader(undefined, headers[i].text, path);
    const counted = await countSample({
      path,
      sites: req.sites,
      settings: req.settings,
      threads: req.threads,
      header: headers[i],
      referencePath: req.referencePath,
      extraSites: (loaded) => {
        if (loaded.resolved.length === 0) throw new UserError(`${req.sites.join(', ')}: no sites to build a PoN on`);
        info(`${name}: counting ${loaded.resolved.length} sites${targets ? ` and ${positions} target positions` : ''}`);
        if (!targets || req.targetsPath === undefined) return [];
        return targetProbes(
          targets,
          req.targetsPath,
          headers[i].refs,
          loaded.resolved.map((r) => r.bamSite),
          path,
        ).probes;
      },
    });
    for (const w of counted.warnings) warn(w);
    userSites ??= counted.rows.map((r) => r.site);
    sampleNames.push(name);
    siteCounts.push(counted.rows);
    targetPositions.push(counted.extraRows.length ? probeRowsToBaseCounts(counted.extraRows) : []);
  }
  const settingsText = Object.entries(settingsRecord(req.settings))
    .map(([k, v]) => `${k}=${v}`)
    .join(';');
  const pon = buildPon({ sampleNames, build, sites: userSites!, siteCounts, settingsText, ...(targets ? { targetPositions } : {}) });
  for (const w of pon.warnings) warn(w);
  const flagged = pon.sites.filter((s) => s.germlineOrChip).length;
  const carried = pon.sites.filter((s) => !s.germlineOrChip && (s.carriers ?? 0) > 0).length;
  if (flagged > 0)
    info(`${flagged} of ${pon.sites.length} sites flagged germline_or_chip (alt fraction above 1% in at least half the normals)`);
  if (carried > 0) info(`${carried} site(s) carried by fewer normals: those normals are left out of the site's rates only`);
  return pon;
}
