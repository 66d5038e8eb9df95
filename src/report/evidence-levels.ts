import { readFileSync } from 'node:fs';
import { referencePath } from '../reference/paths.js';
import { parseTsv } from '../reference/tsv.js';
import { fileError } from '../util/errors.js';

/**
 * Evidence levels in words. The actionability table records levels such as `1 (unconfirmed)` and
 * `I-A (unconfirmed)`; a tumour board reads "FDA-recognised biomarker …" faster than a code, and
 * "(unconfirmed)" means the table's curators did not re-check the level against the live source.
 */

export const EVIDENCE_LEVELS_FILE = 'evidence/evidence-levels.tsv';

export type LevelWords = Map<string, string>;

let cache: LevelWords | undefined;

export function parseEvidenceLevels(text: string, file: string): LevelWords {
  const out: LevelWords = new Map();
  for (const rec of parseTsv(text, file, ['scheme', 'level', 'meaning', 'source'])) {
    const { scheme, level, meaning, source } = rec.values;
    if (!scheme || !level || !meaning || !source) throw fileError(file, 'every column needs a value', rec.line);
    out.set(`${scheme}:${level}`, meaning);
  }
  return out;
}

export function loadEvidenceLevels(): LevelWords {
  if (!cache) {
    const file = referencePath(EVIDENCE_LEVELS_FILE);
    cache = parseEvidenceLevels(readFileSync(file, 'utf8'), file);
  }
  return cache;
}

/**
 * A table level (`1 (unconfirmed)`, `not applicable`, `unknown`) → `{level, words, confirmed}`.
 * `words` is '' for "not applicable" and "unknown" (the level itself says it).
 */
export function levelInWords(
  scheme: 'OncoKB' | 'ESCAT',
  raw: string,
  words: LevelWords,
): { level: string; words: string; confirmed: boolean } {
  const text = raw.trim();
  const unconfirmed = /\(unconfirmed\)/i.test(text);
  const level = text.replace(/\s*\(unconfirmed\)\s*/i, '').trim();
  if (level === '' || /^(unknown|not applicable)$/i.test(level)) return { level: level || 'unknown', words: '', confirmed: !unconfirmed };
  return { level, words: words.get(`${scheme}:${level}`) ?? '', confirmed: !unconfirmed };
}
