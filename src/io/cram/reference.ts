import { createHash } from 'node:crypto';
import { fileError, UserError } from '../../util/errors.js';
import { IndexedFastaFile } from '../fasta.js';
import type { ReferenceSpan, ReferenceWindow } from './record-to-bam.js';

/** One @SQ line of a CRAM header: the contig and the checksum of the reference it was written against. */
export interface SqLine {
  name: string;
  length: number;
  /** M5: MD5 of the upper-case contig sequence (SAM spec §1.3). */
  m5?: string;
  /** UR: where the reference was (a path or URL). */
  ur?: string;
}

export function parseSqLines(headerText: string): SqLine[] {
  const out: SqLine[] = [];
  for (const line of headerText.split('\n')) {
    if (!line.startsWith('@SQ\t')) continue;
    const f = new Map(
      line
        .replace(/\r$/, '')
        .split('\t')
        .slice(1)
        .map((x) => [x.slice(0, 2), x.slice(3)] as const),
    );
    out.push({ name: f.get('SN') ?? '', length: Number(f.get('LN') ?? 0), m5: f.get('M5'), ur: f.get('UR') });
  }
  return out;
}

function describeSq(sq: SqLine): string {
  return `@SQ SN:${sq.name} LN:${sq.length}${sq.m5 ? ` M5:${sq.m5}` : ''}${sq.ur ? ` UR:${sq.ur}` : ''}`;
}

/** The FASTA a CRAM's reference-based slices are decoded against, checked against its @SQ lines. */
export class CramReference {
  private readonly fastaName: (string | undefined)[];
  /** Contigs whose FASTA length differs from the @SQ line. */
  readonly warnings: string[] = [];

  constructor(
    readonly fasta: IndexedFastaFile,
    private readonly sq: readonly SqLine[],
    private readonly cramPath: string,
  ) {
    // Contig names as in the CRAM, else chr-less/chr-prefixed spellings (1 ↔ chr1, MT ↔ chrM).
    this.fastaName = sq.map((s) => [s.name, aliasOf(s.name)].find((n) => n !== undefined && fasta.length(n) !== undefined));
    sq.forEach((s, i) => {
      const name = this.fastaName[i];
      const length = name === undefined ? undefined : fasta.length(name);
      if (length !== undefined && length !== s.length) {
        // htslib warns and goes on: the slice MD5 checks below decide whether the bases fit.
        this.warnings.push(
          `${fasta.path}: contig ${name} has length ${length} but ${cramPath} declares ${describeSq(s)}; reads are decoded only where the slice checksums match`,
        );
      }
    });
  }

  /** Upper-case bases [start1, end1] of CRAM reference `refId` (clipped to the contig). */
  fetch(refId: number, start1: number, end1: number): string {
    const sq = this.sq[refId];
    if (!sq) throw fileError(this.cramPath, `a slice refers to reference #${refId}, which the header does not declare`);
    const name = this.fastaName[refId];
    if (name === undefined) {
      throw new UserError(
        `${this.fasta.path}: has no contig ${sq.name}, which ${this.cramPath} needs to decode its reads (${describeSq(sq)}); give --reference the FASTA the CRAM was made with`,
      );
    }
    return this.fasta.fetch(name, start1 - 1, end1);
  }

  /**
   * A slice's reference span must hash to the MD5 the slice header records (CRAM spec §8.5), as
   * htslib checks: a FASTA of the same assembly with other bases (another patch, masked repeats)
   * would otherwise change reads silently.
   */
  checkSliceMd5(refId: number, start1: number, bases: string, recorded: string): void {
    const md5 = createHash('md5').update(bases, 'latin1').digest('hex');
    if (md5 === recorded) return;
    const sq = this.sq[refId];
    throw new UserError(
      `${this.fasta.path}: is not the reference ${this.cramPath} was written with: ${sq?.name ?? refId}:${start1}-${start1 + bases.length - 1} has MD5 ${md5} in the FASTA but ${recorded} in the CRAM (${sq ? describeSq(sq) : 'no @SQ line'}); give --reference the FASTA the CRAM was made with`,
    );
  }

  close(): void {
    this.fasta.close();
  }
}

function aliasOf(name: string): string | undefined {
  if (name === 'chrM') return 'MT';
  if (name === 'MT') return 'chrM';
  return name.startsWith('chr') ? name.slice(3) : `chr${name}`;
}

/**
 * The message for a CRAM that needs its reference when none was given: what to pass and how to
 * recognise the right FASTA.
 */
export function missingReferenceError(cramPath: string, sq: SqLine | undefined): UserError {
  const which = sq ? ` (${describeSq(sq)})` : '';
  return new UserError(
    `${cramPath}: this CRAM stores reads as differences from a reference genome: give --reference genome.fa (indexed with samtools faidx), the FASTA it was written with${which}`,
  );
}

/** Reference bases of one span per reference (0-based start), for one slice's records. */
export class SpanWindow implements ReferenceWindow {
  private readonly spans = new Map<number, ReferenceSpan>();
  readonly present: boolean;

  constructor(present: boolean) {
    this.present = present;
  }

  set(refId: number, start0: number, bases: string, contigLength: number): void {
    this.spans.set(refId, { start0, bases: Buffer.from(bases, 'latin1'), contigLength });
  }

  span(refId: number): ReferenceSpan | null {
    return this.spans.get(refId) ?? null;
  }
}
