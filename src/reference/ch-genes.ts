import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { fileError } from '../util/errors.js';
import { referencePath } from './paths.js';
import { parseTsv } from './tsv.js';

export const CH_GENES_FILE = 'evidence/ch-prone-genes.tsv';

export const ChGeneRowSchema = z.object({
  gene: z.string().regex(/^[A-Z0-9]+$/, 'gene must be an HGNC symbol (A-Z, 0-9)'),
  ch_role: z.string().min(1),
  /** `;`-separated citations. */
  sources: z.string().min(10, 'every gene needs its sources'),
  /** What was checked where, and what was not (a single source says so here). */
  confirmation: z.string().min(1),
  note: z.string(),
});
export type ChGeneRow = z.infer<typeof ChGeneRowSchema>;

/** Parses the CH-prone gene table; a bad row is an error naming the file and line. */
export function parseChGenes(text: string, file: string): ChGeneRow[] {
  const seen = new Map<string, number>();
  return parseTsv(text, file, Object.keys(ChGeneRowSchema.shape)).map((rec) => {
    const parsed = ChGeneRowSchema.safeParse(rec.values);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw fileError(file, `${issue.path.length ? `column ${String(issue.path[0])}: ` : ''}${issue.message}`, rec.line);
    }
    const first = seen.get(parsed.data.gene);
    if (first !== undefined) throw fileError(file, `duplicate gene ${parsed.data.gene} (first on line ${first})`, rec.line);
    seen.set(parsed.data.gene, rec.line);
    return parsed.data;
  });
}

let cache: ChGeneRow[] | undefined;

/** reference/evidence/ch-prone-genes.tsv: genes whose plasma-only variants may be clonal haematopoiesis. */
export function loadChProneGenes(): ChGeneRow[] {
  if (!cache) {
    const file = referencePath(CH_GENES_FILE);
    cache = parseChGenes(readFileSync(file, 'utf8'), file);
  }
  return cache;
}

/** The CH-prone gene symbols, upper case. */
export function chProneGeneSet(rows: readonly ChGeneRow[] = loadChProneGenes()): ReadonlySet<string> {
  return new Set(rows.map((r) => r.gene));
}
