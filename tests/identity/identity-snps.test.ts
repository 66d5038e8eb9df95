import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GENOME_BUILDS } from '../../src/count/genome-build.js';
import {
  IDENTITY_SNP_FILE,
  identityAltFrequency,
  identitySites,
  loadIdentitySnps,
  type IdentitySnp,
} from '../../src/reference/identity-snps.js';
import { referencePath } from '../../src/reference/paths.js';
import { parseTsv } from '../../src/reference/tsv.js';
import { UserError } from '../../src/util/errors.js';

/**
 * The bundled identity SNP list checked against its own evidence: a row marked verified must name
 * two independent groups for each build's position and for the reference base (decision 0240), with
 * every source key described in sources.tsv and able to give what the row uses it for; the
 * verified set must meet the selection goals (≥ 30 SNPs, common in every population, unlinked,
 * strand-unambiguous, spread over the autosomes).
 */

interface Source {
  group: string;
  kind: string;
  builds: string[];
  gives: string[];
}

const sourcesFile = referencePath('identity/sources.tsv');
const sources = new Map<string, Source>(
  parseTsv(readFileSync(sourcesFile, 'utf8'), sourcesFile, ['key', 'group', 'kind', 'builds', 'gives', 'description', 'locator']).map(
    (r) => [
      r.values.key,
      { group: r.values.group, kind: r.values.kind, builds: r.values.builds.split(';'), gives: r.values.gives.split(';') },
    ],
  ),
);

const all = loadIdentitySnps(undefined, { includeUnverified: true });
const verified = all.filter((s) => s.verified);

/** Independent groups behind `keys` that can give `what` in `build` (undefined: either build). */
function groups(keys: readonly string[], what: string, build?: 'GRCh37' | 'GRCh38'): Set<string> {
  const out = new Set<string>();
  for (const k of keys) {
    const s = sources.get(k);
    if (!s || !s.gives.includes(what) || (build && !s.builds.includes(build))) continue;
    out.add(s.group);
  }
  return out;
}

const hasListing = (keys: readonly string[], build: 'GRCh37' | 'GRCh38'): boolean =>
  keys.some((k) => sources.get(k)?.kind === 'listing' && sources.get(k)!.builds.includes(build));

function meetsRule(s: IdentitySnp): boolean {
  return (
    groups(s.grch37Sources, 'position', 'GRCh37').size >= 2 &&
    groups(s.grch38Sources, 'position', 'GRCh38').size >= 2 &&
    hasListing(s.grch37Sources, 'GRCh37') &&
    hasListing(s.grch38Sources, 'GRCh38') &&
    groups(s.refSources, 'ref').size >= 2
  );
}

describe('bundled identity SNPs', () => {
  it('every source key is described in sources.tsv and covers the build it is cited for', () => {
    for (const s of all) {
      for (const [keys, build] of [
        [s.grch37Sources, 'GRCh37'],
        [s.grch38Sources, 'GRCh38'],
      ] as const) {
        for (const k of keys) {
          expect(sources.has(k), `${s.rsid}: unknown source ${k}`).toBe(true);
          expect(sources.get(k)!.builds, `${s.rsid}: ${k} cited for ${build}`).toContain(build);
        }
      }
      for (const k of s.refSources) expect(sources.get(k)?.gives, `${s.rsid}: ${k} cited for REF`).toContain('ref');
    }
  });

  it('a row is verified exactly when two groups confirm each build’s position and the reference base', () => {
    const wrong = all.filter((s) => s.verified !== meetsRule(s)).map((s) => s.rsid);
    expect(wrong).toEqual([]);
    expect(verified.length).toBeGreaterThanOrEqual(30);
  });

  it('verified SNPs are common in every population, strand-unambiguous, unlinked and spread over the autosomes', () => {
    for (const s of verified) {
      expect(new Set([s.ref, s.alt]), `${s.rsid} A/T or C/G pair`).not.toEqual(new Set(['A', 'T']));
      expect(new Set([s.ref, s.alt]), `${s.rsid} A/T or C/G pair`).not.toEqual(new Set(['C', 'G']));
      if (s.altFrequency !== null) {
        expect(Math.min(s.altFrequency, 1 - s.altFrequency), s.rsid).toBeGreaterThanOrEqual(0.3);
      }
    }
    // Most verified SNPs carry a per-population bound and a verified frequency (the new rows all do).
    expect(verified.filter((s) => (s.populationMafMin ?? 0) >= 0.3).length).toBeGreaterThanOrEqual(30);
    expect(verified.filter((s) => s.altFrequency !== null).length).toBeGreaterThanOrEqual(30);
    expect(new Set(verified.map((s) => s.chrom)).size).toBeGreaterThanOrEqual(20);
    // 1 Mb apart in both builds: genotypes of neighbouring SNPs in linkage would count twice.
    for (const build of ['grch37Pos', 'grch38Pos'] as const) {
      const sorted = [...all].sort((a, b) => Number(a.chrom) - Number(b.chrom) || a[build] - b[build]);
      for (let i = 1; i < sorted.length; i++) {
        if (sorted[i].chrom !== sorted[i - 1].chrom) continue;
        expect(sorted[i][build] - sorted[i - 1][build], `${sorted[i - 1].rsid}–${sorted[i].rsid}`).toBeGreaterThan(1_000_000);
      }
    }
  });

  it('positions lie on their chromosome in each build, and rsIDs and positions are unique', () => {
    for (const [build, key] of [
      ['GRCh37', 'grch37Pos'],
      ['GRCh38', 'grch38Pos'],
    ] as const) {
      const lengths = new Map(GENOME_BUILDS[build].contigs.map((c) => [c.name, c.length]));
      for (const s of all) expect(s[key], `${s.rsid} ${build}`).toBeLessThanOrEqual(lengths.get(s.chrom)!);
      expect(new Set(all.map((s) => `${s.chrom}:${s[key]}`)).size).toBe(all.length);
    }
    expect(new Set(all.map((s) => s.rsid)).size).toBe(all.length);
  });

  it('only verified rows are counted by default; per-SNP frequencies fall back to the model default', () => {
    expect(loadIdentitySnps().map((s) => s.rsid)).toEqual(verified.map((s) => s.rsid));
    const sites = identitySites('GRCh38');
    expect(sites.map((s) => s.id)).toEqual(verified.map((s) => s.rsid));
    expect(sites[0]).toMatchObject({
      chrom: `chr${verified[0].chrom}`,
      pos1: verified[0].grch38Pos,
      ref: verified[0].ref,
      alt: verified[0].alt,
    });
    const freq = identityAltFrequency(0.4, all);
    const withFreq = all.find((s) => s.altFrequency !== null)!;
    const without = all.find((s) => s.altFrequency === null)!;
    expect(freq(withFreq.rsid)).toBe(withFreq.altFrequency);
    expect(freq(without.rsid)).toBe(0.4);
    expect(freq('chr1:1:A>G')).toBe(0.4);
  });
});

describe('identity SNP file errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oligotrack-idsnps-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const original = readFileSync(referencePath(IDENTITY_SNP_FILE), 'utf8');
  const dataLines = original.split('\n').filter((l) => l !== '' && !l.startsWith('#'));

  function withRow(edit: (cells: string[]) => void): string {
    const cells = dataLines[1].split('\t');
    edit(cells);
    const file = join(dir, 'snps.tsv');
    writeFileSync(file, `${dataLines[0]}\n${cells.join('\t')}\n`);
    return file;
  }

  it('names the file and line of a bad status, a sex chromosome or a frequency out of range', () => {
    const cols = dataLines[0].split('\t');
    const cases: [string, string, RegExp][] = [
      ['status', 'maybe', /snps\.tsv:2: status "maybe" is neither verified nor unverified/],
      ['chrom', 'X', /snps\.tsv:2: chrom "X" is not an autosome/],
      ['alt_af_1kg', '1.4', /snps\.tsv:2: alt_af_1kg "1\.4" is not a frequency between 0 and 1/],
    ];
    for (const [col, value, message] of cases) {
      const file = withRow((cells) => {
        cells[cols.indexOf(col)] = value;
      });
      expect(() => loadIdentitySnps(file, { includeUnverified: true })).toThrow(UserError);
      expect(() => loadIdentitySnps(file, { includeUnverified: true })).toThrow(message);
    }
  });
});
