/**
 * Sample identity inside the timeline: the rows of identity SNPs (germline SNPs counted with
 * `--sites panel:identity`) are taken out of the tracked sites — a heterozygous SNP at ~50% must
 * never enter the tumour fraction or the event calls — and compared across the patient's draws and
 * white cells (src/identity, decision 0222). Pure.
 */
import { siteKeyOf } from '../count/site-key.js';
import { checkPatientIdentity } from '../identity/concordance.js';
import { identitySampleFromCounts } from '../identity/from-counts.js';
import type { IdentitySample, PatientIdentity } from '../identity/types.js';
import type { CalledDraw, CalledSiteInput, WhiteCellInput } from './types.js';

export interface IdentitySplit {
  /** The draws with the identity rows removed. */
  draws: CalledDraw[];
  whiteCells: WhiteCellInput | undefined;
  /** Per draw (same order), the identity rows; and the white cells' identity rows. */
  identityRows: CalledSiteInput[][];
  whiteCellIdentityRows: CalledSiteInput[] | null;
  ids: ReadonlySet<string>;
}

/** A row is an identity SNP when its site ID (rsID) or its `chrom:pos:ref>alt` key is listed. */
export function isIdentityRow(r: CalledSiteInput, ids: ReadonlySet<string>): boolean {
  return ids.has(r.site.id) || ids.has(siteKeyOf(r.site));
}

export function splitIdentityRows(
  draws: readonly CalledDraw[],
  whiteCells: WhiteCellInput | undefined,
  ids: ReadonlySet<string>,
): IdentitySplit {
  return {
    draws: draws.map((d) => ({ ...d, rows: d.rows.filter((r) => !isIdentityRow(r, ids)) })),
    whiteCells: whiteCells ? { ...whiteCells, rows: whiteCells.rows.filter((r) => !isIdentityRow(r, ids)) } : undefined,
    identityRows: draws.map((d) => d.rows.filter((r) => isIdentityRow(r, ids))),
    whiteCellIdentityRows: whiteCells ? whiteCells.rows.filter((r) => isIdentityRow(r, ids)) : null,
    ids,
  };
}

const counted = (rows: readonly CalledSiteInput[]) =>
  rows.map((r) => ({ site: r.site, altCount: r.altCount, refCount: r.refCount ?? r.depth - r.altCount }));

/**
 * The patient's identity result: every draw (with its tumour fraction when the series has one, so
 * a heterozygote shifted by tumour copy number is read correctly) and the white cells.
 */
export function patientIdentity(patient: string, split: IdentitySplit, tumourFractionByDraw: readonly (number | null)[]): PatientIdentity {
  const samples: IdentitySample[] = split.draws.map((d, i) =>
    identitySampleFromCounts(d.sample, 'draw', counted(split.identityRows[i]), split.ids, tumourFractionByDraw[i] ?? null),
  );
  if (split.whiteCells && split.whiteCellIdentityRows) {
    samples.push(identitySampleFromCounts(split.whiteCells.sample, 'normal', counted(split.whiteCellIdentityRows), split.ids));
  }
  return checkPatientIdentity(patient, samples);
}
