import { describe, expect, it } from 'vitest';
import { parseRegion } from '../../src/count/region.js';
import { UsageError } from '../../src/util/errors.js';

/**
 * Contig names with colons, as in htslib-test colons.bam (chr1, chr1:100, chr1:100-200,
 * chr2:100-200, chr1,chr3): `samtools view colons.bam chr1:100-200` fails with "Range is
 * ambiguous. Use {chr1:100-200} or {chr1}:100-200 instead"; --region must not pick one silently.
 */
const contigs = new Set(['chr1', 'chr1:100', 'chr1:100-200', 'chr2:100-200', 'chr3', 'chr1,chr3']);

describe('--region with contig names that contain colons', () => {
  it('rejects a string that is a contig and also a range on another contig', () => {
    for (const text of ['chr1:100-200', 'chr1:100']) {
      let err: unknown;
      try {
        parseRegion(text, contigs);
      } catch (e) {
        err = e;
      }
      expect(err, text).toBeInstanceOf(UsageError);
      expect((err as UsageError).message).toContain(`ambiguous: both ${text} and chr1 are contigs`);
    }
  });

  it('accepts the braced forms and the unambiguous names, as samtools does', () => {
    expect(parseRegion('{chr1:100-200}', contigs)).toEqual({ chrom: 'chr1:100-200', start0: 0, end0: undefined });
    expect(parseRegion('{chr1}:100-200', contigs)).toEqual({ chrom: 'chr1', start0: 99, end0: 200 });
    // chr2 is not a contig: the whole string is.
    expect(parseRegion('chr2:100-200', contigs)).toEqual({ chrom: 'chr2:100-200', start0: 0, end0: undefined });
    expect(parseRegion('chr1,chr3:100-110', contigs)).toEqual({ chrom: 'chr1,chr3', start0: 99, end0: 110 });
    expect(parseRegion('chr1:100:1-5', contigs)).toEqual({ chrom: 'chr1:100', start0: 0, end0: 5 });
  });
});
