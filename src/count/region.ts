import { UsageError } from '../util/errors.js';

/** A parsed `--region`: contig as written, 0-based half-open bounds (end0 undefined = contig end). */
export interface Region {
  chrom: string;
  start0: number;
  end0: number | undefined;
}

/**
 * Parse an htslib region string (the syntax of `samtools view` and `bcftools -r`):
 * `chr6` (whole contig), `chr6:152098000` (from that 1-based position to the contig end),
 * `chr6:152,098,000-152,099,000` (1-based inclusive → start0 152097999, end0 152099000),
 * `chr6:-1000` (start of contig to 1000), `chr6:1000-` (1000 to the end), `{HLA-A*01:01}:1-20`
 * (braces for names containing a colon). When `knownContigs` is given and contains the whole
 * string (a contig whose name has a colon), the whole string is the contig, as htslib decides,
 * unless the part before the last colon is a contig too: then, as in htslib, it is an error.
 */
export function parseRegion(text: string, knownContigs?: ReadonlySet<string>): Region {
  const bad = (why: string): never => {
    throw new UsageError(`--region ${JSON.stringify(text)}: ${why}`);
  };
  if (text.length === 0) bad('empty region');
  let chrom: string;
  let rest: string;
  if (text.startsWith('{')) {
    const close = text.indexOf('}');
    if (close < 0) bad('unmatched "{"');
    chrom = text.slice(1, close);
    rest = text.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) bad('expected ":" after "}"');
    rest = rest.slice(1);
  } else if (knownContigs?.has(text)) {
    // htslib (hts_parse_region) refuses `chr1:100-200` when both `chr1:100-200` and `chr1` are
    // contigs ("Range is ambiguous"; htslib-test colons.bam has both): picking one silently could
    // count the wrong sites.
    const colon = text.lastIndexOf(':');
    const prefix = text.slice(0, colon);
    const suffix = text.slice(colon + 1);
    if (colon > 0 && knownContigs.has(prefix) && /^[\d,]*(-[\d,]*)?$/.test(suffix)) {
      bad(`ambiguous: both ${text} and ${prefix} are contigs; write {${text}} or {${prefix}}:${suffix}`);
    }
    return { chrom: text, start0: 0, end0: undefined };
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) return { chrom: text, start0: 0, end0: undefined };
    chrom = text.slice(0, colon);
    rest = text.slice(colon + 1);
  }
  if (chrom.length === 0) bad('no contig name');
  if (rest === '') return { chrom, start0: 0, end0: undefined };

  const digits = rest.replace(/,/g, '');
  const m = /^(\d*)(?:(-)(\d*))?$/.exec(digits);
  if (!m) bad('expected CONTIG:START-END with 1-based positions');
  const [, startText, dash, endText] = m!;
  const start1 = startText === '' ? 1 : Number(startText);
  if (!Number.isSafeInteger(start1) || start1 < 1) bad('start must be a position ≥ 1');
  let end0: number | undefined;
  if (dash && endText !== '') {
    end0 = Number(endText);
    if (!Number.isSafeInteger(end0)) bad('end is not a position');
    if (end0! < start1) bad(`end ${end0} is before start ${start1}`);
  } else if (!dash && startText === '') {
    bad('no position after ":"');
  }
  // htslib: `chr:POS` alone (no dash) means from POS to the end of the contig.
  return { chrom, start0: start1 - 1, end0 };
}

/** The 1-based inclusive display of a region, for messages and output headers. */
export function formatRegion(region: Region): string {
  const name = region.chrom.includes(':') ? `{${region.chrom}}` : region.chrom;
  if (region.start0 === 0 && region.end0 === undefined) return name;
  return `${name}:${region.start0 + 1}-${region.end0 ?? ''}`;
}
