import { existsSync } from 'node:fs';
import { BamStreamWriter } from '../io/bam-writer.js';
import type { SamRecord } from '../io/sam-record.js';
import type { Site } from '../count/types.js';
import { mulberry32 } from '../simulate/rng.js';

/**
 * A deterministic deep synthetic panel BAM, shaped like a ctDNA capture run: 3 contigs, 50
 * targets (17/17/16), cfDNA-length fragments (150–260 bp) read as 2 × 150 bp pairs that overlap,
 * ~34,000 pairs per target (≈27,000 reads, ≈15,000 fragments at each site), 0.4% base errors, 5% soft clips,
 * 2% reads with a 1–3 bp indel, 8% duplicate-flagged, 5% MAPQ 10, alt alleles at 0.5–5% VAF.
 */

const CONTIGS = ['chrA', 'chrB', 'chrC'];
const CONTIG_LENGTH = 400_000;
const READ_LEN = 150;
const BASES = 'ACGT';

const rng = mulberry32;

export interface DeepPanel {
  sites: Site[];
  refLengths: { name: string; length: number }[];
}

export function deepPanelSites(): DeepPanel {
  const r = rng(42);
  const sites: Site[] = [];
  const ref = referenceSequences();
  for (let t = 0; t < 50; t++) {
    const chrom = CONTIGS[t < 17 ? 0 : t < 34 ? 1 : 2];
    const k = t < 17 ? t : t < 34 ? t - 17 : t - 34;
    const pos1 = 10_000 + k * 20_000 + Math.floor(r() * 1000);
    const refBase = ref[chrom][pos1 - 1];
    const alt = BASES[(BASES.indexOf(refBase) + 1 + Math.floor(r() * 3)) % 4];
    sites.push({ chrom, pos1, ref: refBase, alt, gene: `G${t}`, protein: '', id: `site${t}` });
  }
  return { sites, refLengths: CONTIGS.map((name) => ({ name, length: CONTIG_LENGTH })) };
}

let refCache: Record<string, string> | null = null;
export function referenceSequences(): Record<string, string> {
  if (refCache) return refCache;
  const r = rng(7);
  refCache = {};
  for (const c of CONTIGS) {
    const chars = new Array<string>(CONTIG_LENGTH);
    for (let i = 0; i < CONTIG_LENGTH; i++) chars[i] = BASES[Math.floor(r() * 4)];
    refCache[c] = chars.join('');
  }
  return refCache;
}

/** Writes the BAM (+ .bai) unless it exists. `scale` 2 doubles the pairs per target. */
export function writeDeepBam(path: string, scale = 1): void {
  if (existsSync(path) && existsSync(`${path}.bai`)) return;
  const { sites, refLengths } = deepPanelSites();
  const ref = referenceSequences();
  const r = rng(1234 + scale);
  const quals: string[] = [];
  for (let i = 0; i < 64; i++) {
    let s = '';
    for (let j = 0; j < READ_LEN; j++) s += String.fromCharCode(33 + (r() < 0.9 ? 25 + Math.floor(r() * 16) : 2 + Math.floor(r() * 20)));
    quals.push(s);
  }
  const writer = new BamStreamWriter(path, { refs: refLengths });
  const pairsPerTarget = 34_000 * scale;
  sites.forEach((site, t) => {
    const seq = ref[site.chrom];
    const vaf = 0.005 + (t % 10) * 0.005;
    const recs: SamRecord[] = [];
    for (let f = 0; f < pairsPerTarget; f++) {
      const fragLen = 150 + Math.floor(r() * 110);
      const start0 = site.pos1 - 1 - Math.floor(r() * (fragLen + 100)) + 50;
      const mate0 = start0 + fragLen - READ_LEN;
      const alt = r() < vaf;
      const dup = r() < 0.08 ? 0x400 : 0;
      const lowq = r() < 0.05;
      const name = `t${t}:${f}`;
      for (const [readStart, flag] of [
        [start0, 0x1 | 0x2 | 0x40 | 0x20 | dup],
        [mate0, 0x1 | 0x2 | 0x80 | 0x10 | dup],
      ] as const) {
        let bases = seq.slice(readStart, readStart + READ_LEN);
        let cigar = `${READ_LEN}M`;
        const k = site.pos1 - 1 - readStart;
        if (alt && k >= 0 && k < READ_LEN) bases = bases.slice(0, k) + site.alt + bases.slice(k + 1);
        if (r() < 0.6) {
          // ~0.4% errors: one random mismatch in 60% of reads.
          const e = Math.floor(r() * READ_LEN);
          bases = bases.slice(0, e) + BASES[Math.floor(r() * 4)] + bases.slice(e + 1);
        }
        const shape = r();
        if (shape < 0.05) cigar = `10S${READ_LEN - 10}M`;
        else if (shape < 0.06) {
          bases = bases.slice(0, 70) + 'TT' + bases.slice(70, READ_LEN - 2);
          cigar = `70M2I${READ_LEN - 72}M`;
        } else if (shape < 0.07) {
          bases = seq.slice(readStart, readStart + 60) + seq.slice(readStart + 63, readStart + READ_LEN + 3);
          cigar = `60M3D${READ_LEN - 60}M`;
        }
        recs.push({
          qname: name,
          flag,
          rname: site.chrom,
          pos1: readStart + 1,
          mapq: lowq ? 10 : 60,
          cigar,
          rnext: '=',
          pnext1: (readStart === start0 ? mate0 : start0) + 1,
          tlen: readStart === start0 ? fragLen : -fragLen,
          seq: bases,
          qual: quals[Math.floor(r() * 64)],
        });
      }
    }
    recs.sort((a, b) => a.pos1 - b.pos1);
    for (const rec of recs) writer.add(rec);
  });
  writer.close();
}
