import { describe, expect, it } from 'vitest';
import { buildPon, checkPonFits, formatPon, parsePon, siteSetHash } from '../../src/stats/pon.js';
import { StatsInputError } from '../../src/stats/types.js';
import { counts, site } from '../stats/helpers.js';

const s1 = site('chr6', 152094402, 'A', 'G');
const s2 = site('chr3', 179234297, 'A', 'G');
const pon = buildPon({
  sampleNames: ['N1', 'N2'],
  build: 'GRCh38',
  sites: [s1, s2],
  siteCounts: [
    [counts(s1, 3000, 2), counts(s2, 2000, 0)],
    [counts(s1, 3000, 4), counts(s2, 2500, 1)],
  ],
  settingsText: 'min_mapq=20',
});
const text = formatPon(pon);

describe('PoN file', () => {
  it('round-trips through format and parse', () => {
    const model = parsePon(text, 'pon.tsv');
    expect(model.build).toBe('GRCh38');
    expect(model.sampleNames).toEqual(['N1', 'N2']);
    const a = model.perSite.get('6:152094402:A>G')!;
    expect(a.altReads).toBe(6);
    expect(a.depth).toBe(6000);
    expect(a.sampleRates).toEqual([2 / 3000, 4 / 3000]);
    // Class A>G pooled from the sites: 7 alt in 10,500, Jeffreys pseudocounts.
    expect(model.perClass.get('A>G')!.rate).toBe((7 + 0.5) / (10_500 + 1));
    expect(a.rate).toBe((6 + 10_000 * ((7 + 0.5) / 10_501)) / (6000 + 10_000));
    expect(formatPon({ ...pon })).toBe(text);
  });

  it('names the line and column of a malformed row', () => {
    const lines = text.split('\n');
    const firstData = lines.findIndex((l) => l.startsWith('site\t'));
    const bad = [...lines];
    bad[firstData] = bad[firstData].replace(/\t3000|\t6000/, '\tabc');
    expect(() => parsePon(bad.join('\n'), 'p.tsv')).toThrow(new RegExp(`^p\\.tsv:${firstData + 1}: column depth \\(5\\): not a number`));
    const short = [...lines];
    short[firstData] = short[firstData].split('\t').slice(0, 5).join('\t');
    expect(() => parsePon(short.join('\n'), 'p.tsv')).toThrow(`p.tsv:${firstData + 1}: expected 12 tab-separated columns, found 5`);
    const rate = [...lines];
    const f = rate[firstData].split('\t');
    f[7] = '1.5';
    rate[firstData] = f.join('\t');
    expect(() => parsePon(rate.join('\n'), 'p.tsv')).toThrow(/column rate \(8\): not a number in \[0, 1\]/);
    expect(() => parsePon('chrom\tpos\n1\t2\n', 'x.tsv')).toThrow(/x\.tsv:1: /);
  });

  it('rejects a PoN of another build; sites it lacks (private sites of a patient) take their class rate with a note', () => {
    const model = parsePon(text, 'pon.tsv');
    expect(() => checkPonFits(model, [s1, s2], 'GRCh37')).toThrow('pon.tsv: PoN was built on GRCh38 but the sample is GRCh37');
    const other = site('chr17', 7675088, 'C', 'T');
    expect(checkPonFits(model, [s1, other], 'GRCh38')).toEqual([
      "pon.tsv: 1 of 2 sites are not in the PoN (first 17:7675088:C>T): they use their substitution class's rate (background_source pon_class)",
    ]);
    expect(checkPonFits(model, [s1], 'GRCh38')).toEqual([]);
    // The other contig naming family is the same site.
    expect(checkPonFits(model, [site('6', 152094402, 'A', 'G')], 'GRCh38')).toEqual([]);
    expect(siteSetHash([s2, s1])).toBe(model.siteSetHash);
  });

  it('is a StatsInputError (one line for the CLI), never a crash', () => {
    expect(() => parsePon('', 'empty.tsv')).toThrow(StatsInputError);
  });
});
