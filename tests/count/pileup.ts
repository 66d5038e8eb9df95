import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { siteSpec } from '../../src/count/site-model.js';
import type { Site } from '../../src/count/types.js';

/**
 * samtools mpileup as the independent reference: runs it, parses the pileup bases column
 * (`.` `,` ACGTN acgtn `*` `#` `>` `<`, `^q` read starts, `$` read ends, `+N`/`-N` indels) into one
 * token per read, keyed by QNAME/FLAG/POS (`--output-extra`), and derives what oligotrack's
 * documented rules (docs/methods/counting.md) expect at a site in `--mates reads` mode.
 */

export interface Token {
  base: string; // upper-cased read base, '*' deletion, '>' reference skip
  reverse: boolean;
  ins: string | null; // inserted bases after this base
  del: number; // length of a deletion after this base (0 none)
  end: boolean; // '$': last aligned base of the read
  qual: number;
  key: string;
}

export const SAMTOOLS_FILTERS = ['-B', '-x', '-A', '-d', '0', '-q', '20', '--ff', 'UNMAP,SECONDARY,QCFAIL,DUP,SUPPLEMENTARY'];

export function parseBases(bases: string, quals: string, keys: string[]): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < bases.length) {
    const c = bases[i];
    if (c === '^') {
      i += 2;
      continue;
    }
    if (c === '$') {
      out[out.length - 1].end = true;
      i++;
      continue;
    }
    if (c === '+' || c === '-') {
      let j = i + 1;
      while (bases[j] >= '0' && bases[j] <= '9') j++;
      const n = Number(bases.slice(i + 1, j));
      const seq = bases.slice(j, j + n);
      if (c === '+') out[out.length - 1].ins = seq.toUpperCase();
      else out[out.length - 1].del = n;
      i = j + n;
      continue;
    }
    const k = out.length;
    const base = c === '#' ? '*' : c === '<' ? '>' : c.toUpperCase();
    out.push({
      base,
      reverse: c === ',' || c === '<' || c === '#' || (c >= 'a' && c <= 'z'),
      ins: null,
      del: 0,
      end: false,
      qual: quals.charCodeAt(k) - 33,
      key: keys[k],
    });
    i++;
  }
  return out;
}

/** Tokens per 1-based position (all reads passing samtools' flag/MAPQ filters, quality -Q given). */
export function pileup(bam: string, positions: { chrom: string; pos1: number }[], minBaseq: number, posFile: string): Map<string, Token[]> {
  writeFileSync(posFile, positions.map((p) => `${p.chrom}\t${p.pos1}\n`).join(''));
  const text = execFileSync(
    'samtools',
    ['mpileup', ...SAMTOOLS_FILTERS, '-Q', String(minBaseq), '--output-extra', 'QNAME,FLAG,POS', '-l', posFile, bam],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const out = new Map<string, Token[]>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const f = line.split('\t');
    if (f[3] === '0') continue;
    const names = f[6].split(',');
    const flags = f[7].split(',');
    const poss = f[8].split(',');
    const keys = names.map((n, i) => `${n}/${flags[i]}/${poss[i]}`);
    out.set(`${f[0]}:${f[1]}`, parseBases(f[4], f[5], keys));
  }
  return out;
}

export interface Expected {
  depth: number;
  ref: number;
  alt: number;
  other: number;
  deletions: number;
  insertions: number;
  altFwd: number;
  altRev: number;
}

const passes = (q: number, min: number): boolean => q >= min; // '~' (missing, 0xFF) prints as 93

/**
 * Expected reads-mode counts at a site from Q0 pileups of the positions it spans. `at(pos1)`
 * returns the tokens at that position keyed by read.
 */
export function expectedAt(
  site: Site,
  kind: 'mnv' | 'insertion' | 'deletion',
  ref: string,
  alt: string,
  refLen: number,
  start1: number,
  at: (pos1: number) => Map<string, Token>,
  minBaseq: number,
): Expected {
  const e: Expected = { depth: 0, ref: 0, alt: 0, other: 0, deletions: 0, insertions: 0, altFwd: 0, altRev: 0 };
  const count = (allele: 'ref' | 'alt' | 'other', t: Token, qual: number): void => {
    if (!passes(qual, minBaseq)) return;
    e.depth++;
    e[allele]++;
    if (t.base === '*') e.deletions++;
    if (t.ins !== null) e.insertions++;
    if (allele === 'alt') {
      if (t.reverse) e.altRev++;
      else e.altFwd++;
    }
  };
  void site;
  for (const t of at(start1).values()) {
    if (t.base === '>') continue;
    if (t.base === '*') {
      count('other', t, t.qual);
      continue;
    }
    if (kind === 'insertion' || kind === 'deletion') {
      if (t.ins !== null) count(kind === 'insertion' && t.ins === alt ? 'alt' : 'other', t, t.qual);
      else if (t.del > 0) count(kind === 'deletion' && t.del === refLen ? 'alt' : 'other', t, t.qual);
      else if (t.end) continue;
      else if (kind === 'deletion' && !at(start1 + refLen).has(t.key)) continue;
      else count('ref', t, t.qual);
      continue;
    }
    // MNV: the read must reach the last base of the span.
    if (!at(start1 + refLen - 1).has(t.key)) continue;
    let bases = '';
    let minQ = 255;
    let interrupted = false;
    for (let j = 0; j < refLen; j++) {
      const tj = at(start1 + j).get(t.key)!;
      if (tj.base === '*' || tj.base === '>') {
        interrupted = true;
        break;
      }
      minQ = Math.min(minQ, tj.qual);
      bases += tj.base;
      if (j < refLen - 1 && (tj.ins !== null || tj.del > 0)) {
        interrupted = true;
        break;
      }
    }
    if (interrupted) count('other', t, minQ);
    else count(bases === alt ? 'alt' : bases === ref ? 'ref' : 'other', t, minQ);
  }
  return e;
}

/** Tokens at each needed position, keyed by read (a repeated key gets #n in pileup order). */
export function keyed(tokens: Token[] | undefined): Map<string, Token> {
  const m = new Map<string, Token>();
  for (const t of tokens ?? []) {
    let k = t.key;
    for (let n = 2; m.has(k); n++) k = `${t.key}#${n}`;
    m.set(k, { ...t, key: k });
  }
  return m;
}

/**
 * What samtools mpileup says each site should count in `--mates reads` mode (throws when
 * samtools rejects the file). `refIds`: contig name → refID, for the site model.
 */
export function expectedFromSamtools(
  bam: string,
  sites: Site[],
  refIds: Map<string, number>,
  minBaseq: number,
  posFile: string,
): Expected[] {
  const specs = sites.map((s, i) => siteSpec(s, i, refIds.get(s.chrom)!));
  const positions: { chrom: string; pos1: number }[] = [];
  specs.forEach((s, i) => {
    for (let p = s.start0 + 1; p <= s.start0 + 2 + s.refLen; p++) positions.push({ chrom: sites[i].chrom, pos1: p });
  });
  const tokens = pileup(bam, positions, 0, posFile);
  return specs.map((s, i) => {
    const at = (pos1: number) => keyed(tokens.get(`${sites[i].chrom}:${pos1}`));
    return expectedAt(sites[i], s.kind, s.ref, s.alt, s.refLen, s.start0 + 1, at, minBaseq);
  });
}
