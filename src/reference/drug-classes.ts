import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { fileError } from '../util/errors.js';
import { rowMatches } from './actionability.js';
import { referencePath } from './paths.js';
import { parseTsv } from './tsv.js';

export const DRUG_CLASSES_FILE = 'evidence/therapy-drug-classes.tsv';
export const RESISTANCE_FILE = 'evidence/resistance-to-therapy.tsv';

const agentName = z.string().regex(/^[a-z0-9][a-z0-9 -]*$/, 'agent names are lower-case generic names');

export const DrugClassRowSchema = z.object({
  agent: agentName,
  /** Comma-separated other names (brand names, abbreviations such as t-dxd). */
  aliases: z
    .string()
    .transform((s) => (s === '' ? [] : s.split(',').map((x) => x.trim())))
    .refine((a) => a.every((x) => agentName.safeParse(x).success), 'aliases must be lower-case names separated by commas'),
  drug_class: z.string().regex(/^[A-Za-z0-9_/]+$/, 'drug_class must be one word (letters, digits, _ or /)'),
  /** Genes whose alterations the agent is matched to (`;`-separated), or `-` for none. */
  targets: z
    .string()
    .regex(/^(-|[A-Z0-9]+(;[A-Z0-9]+)*)$/, "targets must be gene symbols separated by ';' or '-'")
    .transform((s) => (s === '-' ? [] : s.split(';'))),
  source: z.string().min(10, 'every agent needs a source'),
});
export type DrugClassRow = z.infer<typeof DrugClassRowSchema>;

export const ResistanceRowSchema = z.object({
  gene: z.string().regex(/^[A-Z0-9]+$/),
  match: z
    .string()
    .regex(
      /^(codons:\d+(-\d+)?(,\d+(-\d+)?)*|proteins:p\.[A-Z]\d+[A-Z*](,p\.[A-Z]\d+[A-Z*])*|any)$/,
      'match must be codons:..., proteins:... or any',
    ),
  resisted_drug_class: z.string().min(1),
  evidence: z.string().min(1),
  source: z.string().min(10),
});
export type ResistanceRow = z.infer<typeof ResistanceRowSchema>;

function parseRows<S extends z.ZodObject<z.ZodRawShape>>(text: string, file: string, schema: S): z.infer<S>[] {
  return parseTsv(text, file, Object.keys(schema.shape)).map((rec) => {
    const parsed = schema.safeParse(rec.values);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw fileError(file, `${issue.path.length ? `column ${String(issue.path[0])}: ` : ''}${issue.message}`, rec.line);
    }
    return parsed.data as z.infer<S>;
  });
}

export function parseDrugClasses(text: string, file: string): DrugClassRow[] {
  const rows = parseRows(text, file, DrugClassRowSchema);
  const names = new Map<string, string>();
  rows.forEach((r) => {
    for (const n of [r.agent, ...r.aliases]) {
      const prior = names.get(n);
      if (prior !== undefined) throw fileError(file, `name '${n}' of ${r.agent} is already used by ${prior}`);
      names.set(n, r.agent);
    }
  });
  return rows;
}

export function parseResistance(text: string, file: string): ResistanceRow[] {
  return parseRows(text, file, ResistanceRowSchema);
}

let drugCache: DrugClassRow[] | undefined;
let resistanceCache: ResistanceRow[] | undefined;

export function loadDrugClasses(): DrugClassRow[] {
  if (!drugCache) {
    const file = referencePath(DRUG_CLASSES_FILE);
    drugCache = parseDrugClasses(readFileSync(file, 'utf8'), file);
  }
  return drugCache;
}

export function loadResistance(): ResistanceRow[] {
  if (!resistanceCache) {
    const file = referencePath(RESISTANCE_FILE);
    resistanceCache = parseResistance(readFileSync(file, 'utf8'), file);
  }
  return resistanceCache;
}

/** An agent named in free text, with the class it belongs to. */
export interface AgentHit {
  agent: string;
  drugClass: string;
  targets: string[];
}

/**
 * The agents named in a therapy string (`letrozole+palbociclib`, `Fulvestrant / Abemaciclib`,
 * `alpelisib + fulvestrant (SOLAR-1)`), matched on whole words against agent names and aliases,
 * case-insensitive; text in parentheses is ignored (it describes, it does not prescribe). Each agent
 * once, in order of first mention. Unknown words are returned in `unknown` so a caller can say so.
 */
export function agentsIn(therapy: string, rows: readonly DrugClassRow[] = loadDrugClasses()): { agents: AgentHit[]; unknown: string[] } {
  // "neratinib-based regimens" names neratinib.
  const text = therapy
    .toLowerCase()
    .replace(/\([^)]*\)/g, ' ')
    .replace(/-based\b/g, ' ');
  const names: { name: string; row: DrugClassRow }[] = [];
  for (const r of rows) for (const n of [r.agent, ...r.aliases]) names.push({ name: n, row: r });
  // Longest names first, so "trastuzumab deruxtecan" wins over "trastuzumab".
  names.sort((a, b) => b.name.length - a.name.length);
  const found: { at: number; row: DrugClassRow }[] = [];
  let rest = ` ${text
    .replace(/[+,/;&]|\band\b|\bwith\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()} `;
  for (const { name, row } of names) {
    const needle = ` ${name} `;
    let at = rest.indexOf(needle);
    while (at >= 0) {
      found.push({ at, row });
      rest = rest.slice(0, at) + ' '.repeat(needle.length - 1) + rest.slice(at + needle.length - 1);
      at = rest.indexOf(needle);
    }
  }
  found.sort((a, b) => a.at - b.at);
  const agents: AgentHit[] = [];
  for (const f of found) {
    if (!agents.some((a) => a.agent === f.row.agent))
      agents.push({ agent: f.row.agent, drugClass: f.row.drug_class, targets: f.row.targets });
  }
  const unknown = rest.split(/\s+/).filter((w) => w.length > 0 && /[a-z]/.test(w));
  return { agents, unknown };
}

/** Resistance rows covering a site's protein change (e.g. ESR1 p.D538G → resists aromatase_inhibitor). */
export function resistanceFor(gene: string, protein: string, rows: readonly ResistanceRow[] = loadResistance()): ResistanceRow[] {
  const g = gene.trim().toUpperCase();
  return rows.filter((r) => r.gene === g && rowMatches({ match: r.match } as Parameters<typeof rowMatches>[0], protein));
}
