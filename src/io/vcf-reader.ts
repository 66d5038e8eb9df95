import { existsSync } from 'node:fs';
import VCFParser from '@gmod/vcf';
import { TabixIndexedFile } from '@gmod/tabix';
import { fileError } from '../util/errors.js';
import { hasControl } from '../util/text-escape.js';
import { isRegularFile, readTextLines } from './vcf-reader-text.js';

/** One VCF data line, as written (alleles not yet checked or trimmed). */
export interface VcfRecord {
  /** 1-based line number in the decompressed file; undefined for records read through tabix. */
  line?: number;
  chrom: string;
  pos1: number;
  /** ID column, '' for `.`; several IDs joined by ';'. */
  id: string;
  ref: string;
  alts: string[];
  /** INFO GENE= (or SYMBOL=) and PROTEIN= when present ('' otherwise): oligotrack's own VCF round-trips. */
  gene: string;
  protein: string;
  /** INFO carries the SOMATIC flag (a caller that saw a matched normal marks somatic calls so). */
  somatic: boolean;
}

export interface VcfHeaderInfo {
  /** `##reference=` value, '' when absent. */
  reference: string;
  /**
   * `##normal_sample=` is declared (Mutect2 and similar tumour–normal callers): every record was
   * called against a matched normal, so the calls are somatic.
   */
  tumourNormal: boolean;
  /** `##contig=<ID=..,length=..>` entries in header order (length undefined when not given). */
  contigs: { name: string; length: number | undefined; assembly: string }[];
}

export interface VcfSites {
  header: VcfHeaderInfo;
  records: VcfRecord[];
}

/** Query window for indexed reading: the file's own contig name, 0-based half-open. */
export interface VcfQuery {
  chrom: string;
  start0: number;
  end0: number | undefined;
}

/**
 * Read the records of a VCF or bgzipped VCF. With `query` and a `.tbi`/`.csi` beside the file,
 * only the overlapping records are read through @gmod/tabix; otherwise the file is streamed.
 * Header and records are parsed with @gmod/vcf; `FILE:LINE: what is wrong` on a malformed line.
 */
export async function readVcf(path: string, query?: (contigs: string[]) => VcfQuery | undefined): Promise<VcfSites> {
  const index = [`${path}.tbi`, `${path}.csi`].find((p) => existsSync(p));
  // A pipe (`<(zcat x.vcf.gz)`) has no random access: streamed even when an index lies beside its name.
  if (query && index && isRegularFile(path)) return readVcfIndexed(path, index, query);
  return readVcfStreaming(path);
}

async function readVcfStreaming(path: string): Promise<VcfSites> {
  const headerLines: string[] = [];
  const records: VcfRecord[] = [];
  let parser: VCFParser | undefined;
  let sawFileformat = false;
  await readTextLines(path, (line, lineNo) => {
    if (lineNo === 1) {
      sawFileformat = line.startsWith('##fileformat=VCF');
      if (!sawFileformat) throw fileError(path, 'not a VCF: the first line must be ##fileformat=VCFv4.x', 1);
    }
    if (parser === undefined) {
      headerLines.push(line);
      if (line.startsWith('#CHROM')) parser = makeParser(path, headerLines, lineNo);
      else if (!line.startsWith('##')) throw fileError(path, 'expected a ## meta line or the #CHROM header line', lineNo);
      return;
    }
    if (line === '' || line.startsWith('#')) return;
    records.push(parseRecord(path, parser, line, lineNo));
  });
  if (parser === undefined) throw fileError(path, 'no #CHROM header line');
  return { header: headerInfo(parser), records };
}

async function readVcfIndexed(path: string, indexPath: string, query: (contigs: string[]) => VcfQuery | undefined): Promise<VcfSites> {
  const tabix = new TabixIndexedFile(indexPath.endsWith('.csi') ? { path, csiPath: indexPath } : { path, tbiPath: indexPath });
  let headerText: string;
  let contigs: string[];
  try {
    headerText = await tabix.getHeader();
    contigs = await tabix.getReferenceSequenceNames();
  } catch (e) {
    throw fileError(path, `cannot read through its index ${indexPath} (${oneLine((e as Error).message)})`);
  }
  const headerLines = headerText.split('\n').filter((l) => l !== '');
  if (!headerLines[0]?.startsWith('##fileformat=VCF')) throw fileError(path, 'not a VCF: the first line must be ##fileformat=VCFv4.x', 1);
  if (!headerLines[headerLines.length - 1]?.startsWith('#CHROM')) throw fileError(path, 'no #CHROM header line');
  const parser = makeParser(path, headerLines, headerLines.length);
  const window = query(contigs);
  const records: VcfRecord[] = [];
  if (window) {
    const lines: string[] = [];
    try {
      await tabix.getLines(window.chrom, window.start0, window.end0, (line) => lines.push(line));
    } catch (e) {
      throw fileError(path, `cannot read through its index ${indexPath} (${oneLine((e as Error).message)})`);
    }
    for (const line of lines) records.push(parseRecord(path, parser, line, undefined));
  }
  return { header: headerInfo(parser), records };
}

function makeParser(path: string, headerLines: string[], lineNo: number): VCFParser {
  const columns = headerLines[headerLines.length - 1].split('\t');
  const fixed = ['#CHROM', 'POS', 'ID', 'REF', 'ALT'];
  if (fixed.some((name, i) => columns[i] !== name)) {
    throw fileError(path, `header line must start with ${fixed.join('\\t')}`, lineNo);
  }
  // @gmod/vcf insists on the 8 fixed columns; a hand-made sites-only VCF may stop after ALT.
  const padded = columns.length >= 8 ? headerLines : [...headerLines.slice(0, -1), '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO'];
  try {
    return new VCFParser({ header: padded.join('\n'), strict: false });
  } catch (e) {
    throw fileError(path, `malformed header (${oneLine((e as Error).message)})`);
  }
}

function headerInfo(parser: VCFParser): VcfHeaderInfo {
  const reference = parser.getMetadata('reference');
  const contigMeta = (parser.getMetadata('contig') ?? {}) as Record<string, Record<string, unknown>>;
  const contigs = Object.entries(contigMeta).map(([name, fields]) => {
    const length = Number(fields?.length);
    return {
      name,
      length: Number.isSafeInteger(length) && length > 0 ? length : undefined,
      assembly: typeof fields?.assembly === 'string' ? fields.assembly : '',
    };
  });
  const normal = parser.getMetadata('normal_sample');
  return { reference: typeof reference === 'string' ? reference : '', tumourNormal: typeof normal === 'string' && normal !== '', contigs };
}

function parseRecord(path: string, parser: VCFParser, line: string, lineNo: number | undefined): VcfRecord {
  const columns = line.split('\t');
  const where = (msg: string) =>
    lineNo === undefined ? fileError(path, `record ${columns[0]}:${columns[1]}: ${msg}`) : fileError(path, msg, lineNo);
  // Site-only VCFs written by hand often stop after ALT; the counting needs nothing more.
  if (columns.length < 5) throw where(`expected at least 5 tab-separated columns (CHROM POS ID REF ALT), found ${columns.length}`);
  if (columns[0] === '') throw where('empty CHROM');
  if (hasControl(columns[0])) throw where(`CHROM ${JSON.stringify(columns[0])} holds a control character`);
  if (!/^[1-9]\d*$/.test(columns[1])) throw where(`POS ${JSON.stringify(columns[1])} is not a positive integer`);
  let variant: ReturnType<VCFParser['parseLine']>;
  try {
    variant = parser.parseLine(line);
  } catch (e) {
    throw where(`cannot parse (${oneLine((e as Error).message)})`);
  }
  const pos1 = Number(columns[1]);
  if (!Number.isSafeInteger(pos1)) throw where(`POS ${columns[1]} is out of range`);
  const ids = (variant.ID ?? []).filter((x) => x !== '.');
  const info = (variant.INFO ?? {}) as Record<string, unknown>;
  return {
    line: lineNo,
    chrom: columns[0],
    pos1,
    id: ids.join(';'),
    ref: columns[3],
    alts: columns[4] === '.' ? ['.'] : columns[4].split(','),
    gene: firstString(info.GENE ?? info.SYMBOL),
    protein: firstString(info.PROTEIN),
    somatic: info.SOMATIC === true,
  };
}

function firstString(value: unknown): string {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first !== 'string') return '';
  try {
    return decodeURIComponent(first); // VCF 4.3 percent-encodes ';', '=', ',' in INFO values
  } catch {
    return first;
  }
}

/** Library messages can span lines; ours are one line on stderr. */
function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}
