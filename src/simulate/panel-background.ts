import { canonicalContig } from '../count/contigs.js';
import { detectBuild } from '../count/genome-build.js';
import { loadPanel } from '../reference/panel.js';
import type { PanelRow } from '../reference/panel-schema.js';
import type { SimSite } from './spec.js';

/** A REF allele of the bundled panel placed on the synthetic genome, under the simulation's contig name. */
export interface BackgroundAllele {
  contig: string;
  pos1: number;
  ref: string;
  /** For messages: `ESR1 p.Y537S (GRCh38)`. */
  label: string;
  /** Coordinates confirmed by two independent sources (the panel's `status` column). */
  verified: boolean;
}

/**
 * The panel rows that fall on the simulated genome, named as the simulation names its contigs
 * (`chr6` in the panel ↔ `6` in the header). Pure. Rows past a contig's end are left out.
 */
export function backgroundAlleles(refs: readonly { name: string; length: number }[], rows: readonly PanelRow[]): BackgroundAllele[] {
  const byCanonical = new Map<string, { name: string; length: number }>();
  for (const r of refs) if (!byCanonical.has(canonicalContig(r.name))) byCanonical.set(canonicalContig(r.name), r);
  const out: BackgroundAllele[] = [];
  for (const row of rows) {
    const contig = byCanonical.get(canonicalContig(row.chrom));
    if (!contig || row.pos + row.ref.length - 1 > contig.length) continue;
    out.push({
      contig: contig.name,
      pos1: row.pos,
      ref: row.ref.toUpperCase(),
      label: `${row.gene} ${row.protein} (${row.build})`,
      verified: row.status === 'verified',
    });
  }
  return out;
}

/**
 * The bundled panel's REF alleles (verified and unverified rows) for the build whose contig
 * lengths the simulated genome has; none for a custom genome (lengths of neither build), where
 * panel coordinates mean nothing.
 */
export function bundledBackgroundAlleles(refs: readonly { name: string; length: number }[]): BackgroundAllele[] {
  const build = detectBuild(refs);
  if (build === 'unknown') return [];
  return backgroundAlleles(refs, loadPanel({ build, includeUnverified: true }));
}

/**
 * A simulated site that starts where a verified panel row starts must agree with the panel's REF
 * over their common length: a different REF there is a wrong REF for a real hotspot (a typo, or the
 * other build's coordinates). Unverified rows (coordinates confirmed by one source only) are placed
 * where free but never overrule the user. Returns the message, or undefined when they agree.
 */
export function contradictsPanel(site: SimSite, siteContig: string, background: readonly BackgroundAllele[]): string | undefined {
  const ref = site.ref.toUpperCase();
  for (const b of background) {
    if (!b.verified || b.contig !== siteContig || b.pos1 !== site.pos1) continue;
    const n = Math.min(ref.length, b.ref.length);
    if (ref.slice(0, n) !== b.ref.slice(0, n)) {
      return `REF ${site.ref} contradicts the bundled panel's REF ${b.ref} at ${b.contig}:${b.pos1} (${b.label})`;
    }
  }
  return undefined;
}
