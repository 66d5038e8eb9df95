import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { BamStreamWriter, encodeBam, writeBam } from '../../src/io/bam-writer.js';
import { corruptBgzfBlockCrc, truncateBgzfEof, truncateBgzfMidBlock } from '../helpers/bam-faults.js';
import { BGZF_EOF, bgzfCompress } from '../../src/io/bgzf-writer.js';
import type { BamHeader, SamRecord } from '../../src/io/sam-record.js';
import { requireTools } from '../helpers/requires.js';
import { randomRecords, testRng } from './random-records.js';

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-bamw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const samtools = (...args: string[]) => execFileSync('samtools', args, { encoding: 'utf8', maxBuffer: 1 << 28 });

/** The SAM line samtools view must print for a record (written independently of the encoder). */
function expectedSamLine(r: SamRecord): string {
  const tags = Object.entries(r.tags ?? {}).map(([k, v]) =>
    typeof v === 'string' ? `${k}:Z:${v}` : Number.isInteger(v) ? `${k}:i:${v}` : `${k}:f:${v}`,
  );
  const rnext = r.rnext === r.rname && r.rname !== '*' ? '=' : r.rnext;
  return [r.qname, r.flag, r.rname, r.pos1, r.mapq, r.cigar, rnext, r.pnext1, r.tlen, r.seq.toUpperCase(), r.qual, ...tags].join('\t');
}

/** Reference span [beg0, end0) as the SAM spec defines it, for region-query expectations. */
function span(r: SamRecord): [number, number] {
  let len = 0;
  for (const m of r.cigar.matchAll(/(\d+)([MIDNSHP=X])/g)) if ('MDN=X'.includes(m[2])) len += Number(m[1]);
  const beg0 = r.pos1 - 1;
  return [beg0, beg0 + Math.max(1, r.flag & 4 ? 1 : len)];
}

const header3: BamHeader = {
  refs: [
    { name: 'chr1', length: 3_000_000 },
    { name: 'chr2', length: 400_000 },
    { name: 'chrEmpty', length: 5_000 },
  ],
  text: '@RG\tID:grp1\tSM:s1\n@PG\tID:test\tPN:oligotrack-test',
};

function indexAndCompare(bamPath: string, kind: 'bai' | 'csi'): void {
  const copy = join(dir, `ref-${Math.random().toString(36).slice(2)}.bam`);
  copyFileSync(bamPath, copy);
  samtools('index', ...(kind === 'csi' ? ['-c'] : []), copy);
  const mine = readFileSync(`${bamPath}.${kind}`);
  const theirs = readFileSync(`${copy}.${kind}`);
  if (kind === 'bai') expect(mine.equals(theirs)).toBe(true);
  // CSI is itself BGZF-compressed; zlib builds differ, so compare the decompressed index.
  else expect(gunzipSync(mine).equals(gunzipSync(theirs))).toBe(true);
}

describe.skipIf(!requireTools('samtools'))('BAM writer vs samtools', () => {
  it.each([1, 2, 3])('random records (seed %i): quickcheck, view round-trip, BAI byte-identical', (seed) => {
    const rand = testRng(seed);
    const recs = randomRecords(rand, header3, 4000 + seed * 3000, { unplaced: seed === 2 ? 0 : 7 });
    const path = join(dir, `rand${seed}.bam`);
    writeBam(path, header3, recs);
    samtools('quickcheck', '-v', path);
    const lines = samtools('view', path).trimEnd().split('\n');
    expect(lines.length).toBe(recs.length);
    expect([...lines].sort()).toEqual(recs.map(expectedSamLine).sort());
    // Coordinate order as samtools sees it: sorting the file again changes nothing.
    const resorted = samtools('sort', '-O', 'SAM', path)
      .split('\n')
      .filter((l) => l && !l.startsWith('@'));
    expect(resorted.map((l) => l.split('\t').slice(2, 4).join(':'))).toEqual(lines.map((l) => l.split('\t').slice(2, 4).join(':')));
    const headerText = samtools('view', '-H', path);
    expect(headerText).toContain('@HD\tVN:1.6\tSO:coordinate');
    expect(headerText).toContain('@SQ\tSN:chrEmpty\tLN:5000');
    expect(headerText).toContain('@RG\tID:grp1\tSM:s1');
    indexAndCompare(path, 'bai');
  });

  it('region queries through our BAI equal counts computed from the records', () => {
    const rand = testRng(11);
    const recs = randomRecords(rand, header3, 6000, { maxPos: 200_000 });
    const path = join(dir, 'regions.bam');
    writeBam(path, header3, recs);
    for (let q = 0; q < 40; q++) {
      const ref = header3.refs[Math.floor(rand() * 2)];
      const beg1 = 1 + Math.floor(rand() * 200_000);
      const end1 = beg1 + Math.floor(rand() * (q % 2 ? 50 : 40_000));
      const expected = recs.filter((r) => {
        if (r.rname !== ref.name) return false;
        const [b, e] = span(r);
        return b < end1 && e > beg1 - 1;
      }).length;
      const got = Number(samtools('view', '-c', path, `${ref.name}:${beg1}-${end1}`).trim());
      expect(got, `${ref.name}:${beg1}-${end1}`).toBe(expected);
    }
  });

  it('CSI index equals samtools index -c (decompressed)', () => {
    const recs = randomRecords(testRng(5), header3, 5000, { unplaced: 3 });
    const path = join(dir, 'csi.bam');
    writeBam(path, header3, recs, { index: 'csi' });
    indexAndCompare(path, 'csi');
  });

  it('edge cases: header-only BAM, only unplaced reads, a record larger than a 64 KiB block', () => {
    const empty = join(dir, 'empty.bam');
    writeBam(empty, header3, []);
    samtools('quickcheck', empty);
    expect(samtools('view', '-c', empty).trim()).toBe('0');
    indexAndCompare(empty, 'bai');

    const unplaced = join(dir, 'unplaced.bam');
    const u = randomRecords(testRng(4), header3, 0, { unplaced: 5 });
    writeBam(unplaced, header3, u);
    expect(samtools('view', '-c', unplaced).trim()).toBe('5');
    indexAndCompare(unplaced, 'bai');

    // 150 kb read: its record spans three BGZF blocks.
    const big: SamRecord = {
      qname: 'long',
      flag: 0,
      rname: 'chr2',
      pos1: 1000,
      mapq: 60,
      cigar: '100S149000M900I100S',
      rnext: '*',
      pnext1: 0,
      tlen: 0,
      seq: 'ACGT'.repeat(37_525),
      qual: 'I'.repeat(150_100),
      tags: { NM: 900, XX: 'x'.repeat(5000) },
    };
    const around = randomRecords(testRng(6), { refs: [header3.refs[1]] }, 300);
    const path = join(dir, 'big.bam');
    writeBam(path, header3, [...around, big]);
    samtools('quickcheck', path);
    const lines = samtools('view', path).trimEnd().split('\n');
    expect(lines).toContain(expectedSamLine(big));
    indexAndCompare(path, 'bai');
    expect(samtools('view', '-c', path, 'chr2:140000-140001').trim()).toBe(
      String(1 + around.filter((r) => span(r)[0] < 140001 && span(r)[1] > 139999).length),
    );
  });

  it('BamStreamWriter writes the same bytes and index as writeBam, and rejects unsorted input', () => {
    const recs = randomRecords(testRng(7), header3, 5000, { unplaced: 2 });
    const a = join(dir, 'whole.bam');
    writeBam(a, header3, recs);
    const sortedLines = samtools('view', a).trimEnd().split('\n');
    const byName = new Map(recs.map((r) => [r.qname, r]));
    const b = join(dir, 'stream.bam');
    const w = new BamStreamWriter(b, header3);
    for (const l of sortedLines) w.add(byName.get(l.split('\t')[0])!);
    w.close();
    expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
    expect(readFileSync(`${b}.bai`).equals(readFileSync(`${a}.bai`))).toBe(true);

    const c = join(dir, 'unsorted.bam');
    const w2 = new BamStreamWriter(c, header3);
    w2.add({ ...recs[0], rname: 'chr1', pos1: 500, flag: 0 });
    expect(() => w2.add({ ...recs[0], rname: 'chr1', pos1: 100, flag: 0 })).toThrow(/not coordinate-sorted/);
    expect(spawnSync('ls', [c]).status).not.toBe(0); // nothing left behind
  });

  it('fault helpers produce files samtools rejects', () => {
    const path = join(dir, 'faults.bam');
    writeBam(path, header3, randomRecords(testRng(8), header3, 3000), { index: false });
    const good = readFileSync(path);
    const noEof = join(dir, 'noeof.bam');
    writeFileSync(noEof, truncateBgzfEof(good));
    expect(spawnSync('samtools', ['quickcheck', noEof]).status).not.toBe(0);
    const cut = join(dir, 'cut.bam');
    writeFileSync(cut, truncateBgzfMidBlock(good));
    expect(spawnSync('samtools', ['view', '-c', cut]).status).not.toBe(0);
    const badCrc = join(dir, 'badcrc.bam');
    writeFileSync(badCrc, corruptBgzfBlockCrc(good, 2));
    const r = spawnSync('samtools', ['view', '-c', badCrc], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/CRC|checksum|decompress|truncated|fail/i);
  });
});

describe('BGZF and encoding without external tools', () => {
  it('corruptBgzfBlockCrc flips CRCs both below and above 2^31 (a negative int32 after ^) and gunzip then rejects the block', () => {
    // Payloads chosen by their CRC: one whose flip is negative as an int32 (CRC < 2^31), one not.
    const crcOf = (z: Buffer) => z.readUInt32LE(z.readUInt16LE(16) + 1 - 8);
    const candidates = Array.from({ length: 16 }, (_, i) => bgzfCompress(Buffer.from(`payload ${i}\n`.repeat(50))));
    const low = candidates.find((z) => crcOf(z) < 0x80000000);
    const high = candidates.find((z) => crcOf(z) >= 0x80000000);
    expect(low && high).toBeTruthy();
    for (const z of [low!, high!]) {
      const crcAt = z.readUInt16LE(16) + 1 - 8;
      const bad = corruptBgzfBlockCrc(z, 0);
      expect(bad.readUInt32LE(crcAt)).toBe(0xffffffff - z.readUInt32LE(crcAt));
      // Only the 4 CRC bytes differ.
      expect(
        Buffer.concat([bad.subarray(0, crcAt), bad.subarray(crcAt + 4)]).equals(
          Buffer.concat([z.subarray(0, crcAt), z.subarray(crcAt + 4)]),
        ),
      ).toBe(true);
      expect(() => gunzipSync(bad)).toThrow();
      expect(() => gunzipSync(z)).not.toThrow();
    }
  });

  it('bgzfCompress round-trips through gunzip, splits at 0xff00 bytes and ends with the EOF block', () => {
    const rand = testRng(3);
    const data = Buffer.alloc(200_000);
    for (let i = 0; i < data.length; i++) data[i] = rand() < 0.5 ? 65 : Math.floor(rand() * 256);
    const z = bgzfCompress(data);
    expect(gunzipSync(z).equals(data)).toBe(true);
    expect(z.subarray(z.length - 28).equals(BGZF_EOF)).toBe(true);
    // First block: uncompressed size ISIZE at its end = 65280.
    const bsize = z.readUInt16LE(16) + 1;
    expect(z.readUInt32LE(bsize - 4)).toBe(0xff00);
  });

  it('encodeBam is deterministic and sorts by coordinate whatever the input order', () => {
    const seen = new Set<string>();
    // Distinct (contig, position, strand) so that the coordinate order is unique.
    const recs = randomRecords(testRng(9), header3, 800).filter((r) => {
      const key = `${r.rname}:${r.pos1}:${r.flag & 0x10}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const rand = testRng(10);
    const shuffled = [...recs].sort(() => rand() - 0.5);
    const a = encodeBam(header3, recs);
    expect(a.equals(encodeBam(header3, recs))).toBe(true);
    expect(encodeBam(header3, shuffled).equals(a)).toBe(true);
  });

  it('rejects records that do not fit the header or their own CIGAR', () => {
    const ok: SamRecord = {
      qname: 'q',
      flag: 0,
      rname: 'chr1',
      pos1: 10,
      mapq: 60,
      cigar: '4M',
      rnext: '*',
      pnext1: 0,
      tlen: 0,
      seq: 'ACGT',
      qual: 'IIII',
    };
    expect(() => encodeBam(header3, [{ ...ok, rname: 'chrZ' }])).toThrow(/chrZ.*not in the BAM header/);
    expect(() => encodeBam(header3, [{ ...ok, cigar: '5M' }])).toThrow(/implies 5 bases/);
    expect(() => encodeBam(header3, [{ ...ok, qual: 'II' }])).toThrow(/QUAL has 2/);
    expect(() => encodeBam(header3, [{ ...ok, cigar: '4Q' }])).toThrow(/malformed CIGAR/);
  });
});
