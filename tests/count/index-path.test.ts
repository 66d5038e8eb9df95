import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countBam } from '../../src/count/count-bam.js';
import { DEFAULT_COUNT_SETTINGS } from '../../src/count/types.js';
import { findIndexPath } from '../../src/io/bam-index.js';
import { encodeBamWithIndex } from '../../src/io/bam-writer.js';
import { randomCase } from './random-bam.js';

/** Index file names htslib finds beside a BAM must be found here too (x.csi as well as x.bam.csi). */

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-idxpath-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('index beside the BAM', () => {
  const c = randomCase(5);
  const { bam, index } = encodeBamWithIndex({ refs: c.refs }, c.records, { level: 1, index: 'csi' });

  it('finds x.csi (extension replaced), and counts from it as from the sequential pass', async () => {
    const path = join(dir, 'replaced.bam');
    writeFileSync(path, bam);
    expect(findIndexPath(path)).toBeNull();
    const sequential = await countBam(path, c.sites, DEFAULT_COUNT_SETTINGS);
    expect(sequential.warnings.join(' ')).toMatch(/sequential/);

    writeFileSync(join(dir, 'replaced.csi'), index);
    expect(findIndexPath(path)).toBe(join(dir, 'replaced.csi'));
    const indexed = await countBam(path, c.sites, DEFAULT_COUNT_SETTINGS);
    expect(indexed.warnings.join(' ')).not.toMatch(/sequential/);
    expect(indexed.rows).toEqual(sequential.rows);
  });

  it('prefers x.bam.csi over x.csi, and never takes the BAM itself', () => {
    const path = join(dir, 'both.bam');
    writeFileSync(path, bam);
    writeFileSync(join(dir, 'both.csi'), index);
    writeFileSync(`${path}.csi`, index);
    expect(findIndexPath(path)).toBe(`${path}.csi`);
    const odd = join(dir, 'noext');
    writeFileSync(odd, bam);
    expect(findIndexPath(odd)).toBeNull();
  });
});
