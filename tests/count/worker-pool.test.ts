import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countBam } from '../../src/count/count-bam.js';
import { DEFAULT_COUNT_SETTINGS } from '../../src/count/types.js';
import { prestartCountWorkers, takeCountWorkers } from '../../src/count/worker-pool.js';
import { encodeBamWithIndex } from '../../src/io/bam-writer.js';
import { randomCase } from './random-bam.js';

/**
 * Workers started ahead (the CLI's `count --threads N` starts them before loading its modules):
 * countBam takes them first, the counts are those of one thread, and a command line that fails
 * before counting still exits at once.
 */

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const c = randomCase(91, { reads: 4000, refLength: 3000 });
const bam = join(dir, 'pool.bam');
const { bam: bytes, index } = encodeBamWithIndex({ refs: c.refs }, c.records, { level: 1 });
writeFileSync(bam, bytes);
writeFileSync(`${bam}.bai`, index);

describe('count workers started ahead', () => {
  it('are taken before new ones are started', async () => {
    prestartCountWorkers(2);
    const workers = takeCountWorkers(3);
    expect(workers).toHaveLength(3);
    // The two started ahead are online or coming online; all three answer with their exit.
    await Promise.all(workers.map((w) => w.terminate()));
  });

  it('give the rows of one thread', async () => {
    const one = await countBam(bam, c.sites, DEFAULT_COUNT_SETTINGS, { threads: 1 });
    prestartCountWorkers(1);
    const two = await countBam(bam, c.sites, DEFAULT_COUNT_SETTINGS, { threads: 2 });
    expect(two.rows).toEqual(one.rows);
    expect([two.readsSeen, two.readsPassing]).toEqual([one.readsSeen, one.readsPassing]);
  });

  it('do not hold up a command line that fails before counting', () => {
    const r = spawnSync(
      process.execPath,
      ['dist/cli/main.js', 'count', '--bam', bam, '--sites', 'nonexistent.tsv', '--threads', '3', '--min-mapq', 'abc'],
      { timeout: 20_000, encoding: 'utf8' },
    );
    expect(r.error, 'timed out: a worker kept the process alive').toBeUndefined();
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n'), r.stderr).toEqual(["oligotrack count: usage error: --min-mapq: 'abc' is not an integer"]);
  });

  it('count --threads 2 through the CLI writes the bytes of --threads 1', () => {
    const sites = join(dir, 'sites.tsv');
    writeFileSync(sites, `chrom\tpos\tref\talt\n${c.sites.map((s) => `${s.chrom}\t${s.pos1}\t${s.ref}\t${s.alt}`).join('\n')}\n`);
    const run = (threads: string) =>
      execFileSync(process.execPath, ['dist/cli/main.js', 'count', '--bam', bam, '--sites', sites, '--threads', threads], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const one = run('1');
    expect(one.split('\n').length).toBeGreaterThan(c.sites.length);
    expect(run('2')).toBe(one);
  });
});
