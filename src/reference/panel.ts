import { readFileSync } from 'node:fs';
import { closest } from 'fastest-levenshtein';
import type { Site } from '../count/types.js';
import { fileError, UsageError, UserError } from '../util/errors.js';
import { referencePath } from './paths.js';
import {
  type Build,
  PANEL_COLUMNS,
  type PanelRow,
  PanelRowSchema,
  type SourceRow,
  SourceRowSchema,
  USER_PANEL_REQUIRED,
  UserPanelRowSchema,
} from './panel-schema.js';
import { parseTsv } from './tsv.js';

export const BUNDLED_PANEL_FILE = 'panels/breast-ctdna.tsv';
export const PANEL_SOURCES_FILE = 'panels/sources.tsv';

export interface PanelOptions {
  build?: Build;
  /** Keep only these genes (HGNC symbols; a name not in the panel is a usage error with a suggestion). */
  genes?: string[];
  /** Include rows whose coordinates could not be confirmed twice (excluded by default). */
  includeUnverified?: boolean;
  /** Read this user panel TSV instead of the bundled one. */
  panelFile?: string;
}

/**
 * Parse a panel TSV. The bundled panel is held to the strict schema (HGVS, strand, codon,
 * sources); a user panel needs only gene, protein, chrom, pos, ref, alt, build.
 */
export function parsePanel(text: string, file: string, kind: 'bundled' | 'user'): PanelRow[] {
  const records = parseTsv(text, file, kind === 'bundled' ? PANEL_COLUMNS : USER_PANEL_REQUIRED);
  const schema = kind === 'bundled' ? PanelRowSchema : UserPanelRowSchema;
  const rows: PanelRow[] = [];
  const firstLine = new Map<string, number>();
  for (const rec of records) {
    const values = Object.fromEntries(Object.entries(rec.values).filter(([, x]) => x !== ''));
    const parsed = schema.safeParse(values);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const col = issue.path.length > 0 ? `column ${String(issue.path[0])}: ` : '';
      throw fileError(file, `${col}${issue.message}`, rec.line);
    }
    const row = parsed.data as PanelRow;
    const key = `${row.build}\t${row.chrom}\t${row.pos}\t${row.ref}\t${row.alt}`;
    const first = firstLine.get(key);
    if (first !== undefined) {
      throw fileError(
        file,
        `duplicate site ${row.chrom}:${row.pos} ${row.ref}>${row.alt} (${row.build}); first listed at line ${first}`,
        rec.line,
      );
    }
    firstLine.set(key, rec.line);
    rows.push(row);
  }
  return rows;
}

let bundledCache: PanelRow[] | undefined;

/** All rows of the bundled panel, both builds, verified and unverified. */
export function loadBundledPanel(): PanelRow[] {
  if (!bundledCache) {
    const file = referencePath(BUNDLED_PANEL_FILE);
    bundledCache = parsePanel(readFileSync(file, 'utf8'), file, 'bundled');
  }
  return bundledCache;
}

function readUserPanel(file: string): PanelRow[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`${file}: cannot read panel (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parsePanel(text, file, 'user');
}

/** Natural chromosome order (chr1 < chr2 < ... < chr22 < chrX < chrY), then name. */
export function chromRank(chrom: string): number {
  const c = chrom.replace(/^chr/i, '');
  if (/^\d+$/.test(c)) return Number(c);
  if (c === 'X') return 23;
  if (c === 'Y') return 24;
  if (c === 'M' || c === 'MT') return 25;
  return 100;
}

export function compareRows(a: { chrom: string; pos: number; ref: string; alt: string }, b: typeof a): number {
  return (
    chromRank(a.chrom) - chromRank(b.chrom) ||
    (a.chrom < b.chrom ? -1 : a.chrom > b.chrom ? 1 : 0) ||
    a.pos - b.pos ||
    (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0) ||
    (a.alt < b.alt ? -1 : a.alt > b.alt ? 1 : 0)
  );
}

/** The genes a panel holds, in first-appearance order. */
export function panelGenes(rows: readonly PanelRow[]): string[] {
  return [...new Set(rows.map((r) => r.gene))];
}

/** Check requested gene names against the panel: unknown → usage error with the nearest name. */
export function checkGenes(requested: readonly string[], rows: readonly PanelRow[]): void {
  const known = panelGenes(rows);
  for (const g of requested) {
    if (known.includes(g)) continue;
    const upper = known.find((k) => k === g.toUpperCase());
    const suggestion = upper ?? closest(g, known);
    throw new UsageError(`unknown gene ${g}; did you mean ${suggestion}?`);
  }
}

/**
 * Panel rows filtered by build, genes and verification status, sorted by position.
 * Unverified rows (coordinates not confirmed by two independent sources) are left out unless asked.
 */
export function loadPanel(opts: PanelOptions = {}): PanelRow[] {
  const all = opts.panelFile ? readUserPanel(opts.panelFile) : loadBundledPanel();
  if (opts.genes && opts.genes.length > 0) checkGenes(opts.genes, all);
  return all
    .filter((r) => opts.build === undefined || r.build === opts.build)
    .filter((r) => !opts.genes || opts.genes.length === 0 || opts.genes.includes(r.gene))
    .filter((r) => opts.includeUnverified || r.status === 'verified')
    .sort(compareRows);
}

/** Stable site id: gene and protein change, e.g. ESR1_D538G. */
export function siteId(row: Pick<PanelRow, 'gene' | 'protein'>): string {
  return `${row.gene}_${row.protein.replace(/^p\./, '')}`;
}

export function rowToSite(row: PanelRow): Site {
  return { chrom: row.chrom, pos1: row.pos, ref: row.ref, alt: row.alt, gene: row.gene, protein: row.protein, id: siteId(row) };
}

/** The panel as counting sites for one build (what `count --sites panel:breast` uses). */
export function loadPanelSites(build: Build, opts: Omit<PanelOptions, 'build'> = {}): Site[] {
  return loadPanel({ ...opts, build }).map(rowToSite);
}

/** reference/panels/sources.tsv, keyed by source key. */
export function loadPanelSources(): Map<string, SourceRow> {
  const file = referencePath(PANEL_SOURCES_FILE);
  const records = parseTsv(readFileSync(file, 'utf8'), file, ['key', 'kind', 'builds', 'description', 'locator']);
  const out = new Map<string, SourceRow>();
  for (const rec of records) {
    const parsed = SourceRowSchema.safeParse(rec.values);
    if (!parsed.success) throw fileError(file, parsed.error.issues[0].message, rec.line);
    if (out.has(parsed.data.key)) throw fileError(file, `duplicate source key ${parsed.data.key}`, rec.line);
    out.set(parsed.data.key, parsed.data);
  }
  return out;
}
