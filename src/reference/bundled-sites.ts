import type { DetectedBuild } from '../count/genome-build.js';
import { checkedSite, describeSite, type SiteFile } from '../count/sites.js';
import { UsageError, UserError } from '../util/errors.js';
import { identitySites } from './identity-snps.js';
import { loadPanelSites } from './panel.js';

/** Bundled panels `--sites panel:NAME` can name. */
export const BUNDLED_PANELS = ['breast', 'identity'] as const;

/**
 * `panel:breast`: the curated breast ctDNA hotspot panel (reference/panels/, loaded by panel.ts);
 * `panel:identity`: the sample-identity SNPs (reference/identity/), for the identity check; each
 * in the build the BAM header's contig lengths show. A BAM whose build cannot be told is an error:
 * picking a build by guess would count the wrong positions.
 */
export function loadBundledPanel(spec: string, bamBuild: DetectedBuild): SiteFile {
  const name = spec.slice('panel:'.length);
  if (!(BUNDLED_PANELS as readonly string[]).includes(name)) {
    throw new UsageError(
      `--sites ${spec}: unknown bundled panel ${JSON.stringify(name)} (available: ${BUNDLED_PANELS.map((p) => `panel:${p}`).join(', ')})`,
    );
  }
  if (bamBuild === 'unknown') {
    throw new UserError(
      `--sites ${spec}: the BAM header's contig lengths match neither GRCh38 nor GRCh37, so the panel's build cannot be chosen; give a VCF or TSV of sites instead`,
    );
  }
  // Through the same checks and trimming as user files, so a panel site and the same variant in a
  // user VCF are recognised as one site when both are given.
  const bundled = name === 'identity' ? identitySites(bamBuild) : loadPanelSites(bamBuild);
  const sites = bundled.map((site) => checkedSite(spec, undefined, site, describeSite(site)));
  return {
    source: spec,
    kind: 'bundled-panel',
    sites,
    contigLengths: new Map(),
    declaredBuild: bamBuild,
    buildEvidence: 'the bundled panel',
  };
}
