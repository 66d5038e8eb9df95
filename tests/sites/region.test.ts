import { describe, expect, it } from 'vitest';
import { formatRegion, parseRegion } from '../../src/count/region.js';
import { UsageError } from '../../src/util/errors.js';

// Expected values follow htslib's hts_parse_region (samtools view / bcftools -r):
// 1-based inclusive text → 0-based half-open start0/end0; `chr:POS` alone runs to the contig end.
describe('parseRegion (htslib semantics)', () => {
  it('reads a range with thousands separators', () => {
    expect(parseRegion('chr6:152,098,000-152,099,000')).toEqual({ chrom: 'chr6', start0: 152097999, end0: 152099000 });
  });
  it('reads a whole contig', () => {
    expect(parseRegion('chr6')).toEqual({ chrom: 'chr6', start0: 0, end0: undefined });
    expect(parseRegion('6:')).toEqual({ chrom: '6', start0: 0, end0: undefined });
  });
  it('reads a single start as "to the end"', () => {
    expect(parseRegion('chr6:1000')).toEqual({ chrom: 'chr6', start0: 999, end0: undefined });
    expect(parseRegion('chr6:1000-')).toEqual({ chrom: 'chr6', start0: 999, end0: undefined });
    expect(parseRegion('chr6:-1000')).toEqual({ chrom: 'chr6', start0: 0, end0: 1000 });
  });
  it('reads braces around names with colons', () => {
    expect(parseRegion('{HLA-A*01:01}:1-20')).toEqual({ chrom: 'HLA-A*01:01', start0: 0, end0: 20 });
    expect(parseRegion('{chr:1}')).toEqual({ chrom: 'chr:1', start0: 0, end0: undefined });
  });
  it('takes a whole string that names a known contig as that contig', () => {
    expect(parseRegion('HLA-A*01:01', new Set(['HLA-A*01:01']))).toEqual({ chrom: 'HLA-A*01:01', start0: 0, end0: undefined });
  });
  it('rejects malformed regions as usage errors', () => {
    for (const bad of ['', 'chr6:0-5', 'chr6:10-5', 'chr6:abc', '{chr6', '{chr6}x', ':1-5', 'chr6:1-2-3']) {
      expect(() => parseRegion(bad), bad).toThrow(UsageError);
    }
  });
  it('formats back to 1-based text', () => {
    expect(formatRegion({ chrom: 'chr6', start0: 152097999, end0: 152099000 })).toBe('chr6:152098000-152099000');
    expect(formatRegion({ chrom: 'a:b', start0: 0, end0: undefined })).toBe('{a:b}');
  });
});
