import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Site } from '../count/types.js';
import { fileError } from '../util/errors.js';
import { normaliseProtein } from './hgvs.js';
import { referencePath } from './paths.js';
import { parseTsv } from './tsv.js';

export const ACTIONABILITY_FILE = 'actionability/breast-actionability.tsv';

/**
 * `match` says which alterations of the gene a row covers:
 *   `codons:305-552` or `codons:380,536-538`  any missense at those codons
 *   `proteins:p.E17K,p.H1047R`                  exactly these protein changes
 *   `any`                                        any pathogenic alteration of the gene
 *   `none`                                       not a DNA alteration (HER2-low): never matched
 */
const MATCH = /^(codons:\d+(-\d+)?(,\d+(-\d+)?)*|proteins:p\.[A-Z]\d+[A-Z*](,p\.[A-Z]\d+[A-Z*])*|any|none)$/;

const actionabilityShape = {
  id: z.string().regex(/^[A-Za-z0-9-]+$/),
  gene: z.string().regex(/^[A-Z0-9]+$/),
  alteration: z.string().min(1),
  match: z.string().regex(MATCH, 'match must be codons:..., proteins:..., any or none'),
  origin: z.enum(['somatic', 'germline', 'not_dna']),
  dna_alteration: z.enum(['yes', 'no']),
  drugs: z.string().min(1),
  pivotal_trial: z.string().min(1),
  trial_reference: z.string().min(1),
  regulatory_status: z.string().min(1),
  regulatory_as_of: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  oncokb_level: z.string().min(1),
  escat_tier: z.string().min(1),
  confirmation: z.string().min(1),
  caveat: z.string().min(1),
};

export const ActionabilityRowSchema = z
  .object(actionabilityShape)
  .refine((r) => (r.match === 'none') === (r.dna_alteration === 'no'), { message: 'match none ⇔ dna_alteration no' });

export type ActionabilityRow = z.infer<typeof ActionabilityRowSchema>;

let cache: ActionabilityRow[] | undefined;

export function parseActionability(text: string, file: string): ActionabilityRow[] {
  const records = parseTsv(text, file, Object.keys(actionabilityShape));
  const ids = new Set<string>();
  return records.map((rec) => {
    const parsed = ActionabilityRowSchema.safeParse(rec.values);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw fileError(file, `${issue.path.length ? `column ${String(issue.path[0])}: ` : ''}${issue.message}`, rec.line);
    }
    if (ids.has(parsed.data.id)) throw fileError(file, `duplicate id ${parsed.data.id}`, rec.line);
    ids.add(parsed.data.id);
    return parsed.data;
  });
}

export function loadActionability(): ActionabilityRow[] {
  if (!cache) {
    const file = referencePath(ACTIONABILITY_FILE);
    cache = parseActionability(readFileSync(file, 'utf8'), file);
  }
  return cache;
}

function codonCovered(spec: string, codon: number): boolean {
  return spec.split(',').some((part) => {
    const [lo, hi] = part.split('-').map(Number);
    return hi === undefined ? codon === lo : codon >= lo && codon <= hi;
  });
}

/** Does this row's `match` cover the protein change (any accepted spelling, e.g. D538G, p.Asp538Gly)? */
export function rowMatches(row: ActionabilityRow, protein: string): boolean {
  if (row.match === 'none') return false;
  if (row.match === 'any') return true;
  const p = normaliseProtein(protein);
  if (!p) return false;
  if (row.match.startsWith('proteins:')) return row.match.slice('proteins:'.length).split(',').includes(p);
  const codon = Number(/\d+/.exec(p)![0]);
  // A codon rule covers missense changes only: a stop gain in the ESR1 LBD is not an activating mutation.
  if (p.endsWith('*')) return false;
  return codonCovered(row.match.slice('codons:'.length), codon);
}

/** Actionability rows (drugs, trial, status) for a gene's protein change; [] when none. */
export function actionableFor(gene: string, protein: string, rows: readonly ActionabilityRow[] = loadActionability()): ActionabilityRow[] {
  const g = gene.trim().toUpperCase();
  return rows.filter((r) => r.gene === g && rowMatches(r, protein));
}

/**
 * True when a somatic DNA alteration at this site has a matching drug: the signal for
 * `oligoprogression_targetable`. Germline-only rows (BRCA1/2, PALB2) do not count, because a
 * germline variant is not an emergent resistance mutation; the report lists them separately.
 */
export function isTargetable(site: Pick<Site, 'gene' | 'protein'>, rows: readonly ActionabilityRow[] = loadActionability()): boolean {
  return actionableFor(site.gene, site.protein, rows).some((r) => r.origin === 'somatic' && r.dna_alteration === 'yes');
}
