import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COUNT_TSV_COLUMNS, formatCountTsv } from '../../src/count/output/tsv.js';
import { toOutputRow } from '../../src/count/output/row.js';
import type { SiteCounts } from '../../src/count/types.js';
import { ingestCountFile, openStore, parseCountDocument, storedCountToSiteCounts } from '../../src/store/index.js';
import { UserError } from '../../src/util/errors.js';
import { countDocumentText, writeSample } from './fixtures.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'oligotrack-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('cohort store library', () => {
  it('creates a versioned, WAL-mode store marked with its application id', () => {
    const path = join(dir, 'c.sqlite');
    openStore(path, { create: true }).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.pragma('application_id', { simple: true })).toBe(0x4f4c4754);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('ingest is idempotent: the same sample, BAM and settings twice is one version', async () => {
    const store = openStore(join(dir, 'c.sqlite'), { create: true });
    const file = writeSample(dir, { sample: 'P1-T0', nSites: 4, seed: 3 });
    expect(await ingestCountFile(store, file)).toEqual({ sample: 'P1-T0', version: 1, status: 'added' });
    expect(await ingestCountFile(store, file)).toEqual({ sample: 'P1-T0', version: 1, status: 'unchanged' });
    expect(store.listVersions()).toHaveLength(1);
    store.close();
  });

  it('keeps history: changed settings or a changed BAM make a new version and keep the old', async () => {
    const store = openStore(join(dir, 'c.sqlite'), { create: true });
    const first = writeSample(dir, { sample: 'P1-T0', nSites: 4, seed: 3 });
    const firstText = readFileSync(first, 'utf8');
    await ingestCountFile(store, first);
    writeSample(dir, { sample: 'P1-T0', nSites: 4, seed: 3, minBaseq: 30 });
    expect((await ingestCountFile(store, first)).status).toBe('new-version');
    // Same document, different BAM bytes under the same path: the content hash differs.
    writeSample(dir, { sample: 'P1-T0', nSites: 4, seed: 3, minBaseq: 30 }, 'other bytes');
    expect(await ingestCountFile(store, first)).toEqual({ sample: 'P1-T0', version: 3, status: 'new-version' });
    const versions = store.listVersions();
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(new Set(versions.map((v) => v.settingsSha256)).size).toBe(2);
    expect(new Set(versions.map((v) => v.bamSha256)).size).toBe(2);
    // The old version is still there, byte for byte.
    expect(store.exportCounts({ samples: ['P1-T0'], version: 1 })[0].countJson).toBe(firstText);
    expect(store.exportCounts()[0].version).toBe(3);
    expect(store.listSamples()).toMatchObject([{ sample: 'P1-T0', currentVersion: 3, versions: 3 }]);
    store.close();
  });

  it('exports the stored rows in panel order, equal to the ingested rows, and the document verbatim', async () => {
    const store = openStore(join(dir, 'c.sqlite'), { create: true });
    for (const s of ['B', 'A']) await ingestCountFile(store, writeSample(dir, { sample: s, nSites: 3, seed: s.charCodeAt(0) }));
    await ingestCountFile(store, writeSample(dir, { sample: 'C', nSites: 3, seed: 5, withCalls: true }));
    const [a, b, c] = store.exportCounts();
    expect([a.sample, b.sample, c.sample]).toEqual(['A', 'B', 'C']);
    const docA = JSON.parse(readFileSync(join(dir, 'A.count.json'), 'utf8'));
    // Site 0 has no alt reads: its mean alt fragment length is null and stays null.
    expect(docA.rows[0].mean_frag_len_alt).toBeNull();
    expect(a.rows).toEqual(docA.rows);
    expect(a.countJson).toBe(readFileSync(join(dir, 'A.count.json'), 'utf8'));
    // Rows with calls come back with the same call fields (flattened in the JSON, folded in the row).
    const docC = JSON.parse(readFileSync(join(dir, 'C.count.json'), 'utf8'));
    expect(c.rows.map(({ call, ...r }) => ({ ...r, ...call }))).toEqual(docC.rows);
    // The TSV of the stored rows is the TSV of the original rows.
    const original = parseCountDocument(readFileSync(join(dir, 'A.count.json'), 'utf8'), 'A').rows;
    expect(formatCountTsv(a.rows)).toBe(formatCountTsv(original));
    expect(formatCountTsv(a.rows).split('\n')[0].split('\t')).toEqual([...COUNT_TSV_COLUMNS]);
    store.close();
  });

  it('attaching a summary is a new version; the same summary again is a no-op', async () => {
    const store = openStore(join(dir, 'c.sqlite'), { create: true });
    const file = writeSample(dir, { sample: 'S', seed: 1 });
    await ingestCountFile(store, file);
    const summary = '{"sample":"S","detected":true}\n';
    expect((await ingestCountFile(store, file, summary)).status).toBe('new-version');
    expect((await ingestCountFile(store, file, summary)).status).toBe('unchanged');
    expect(store.exportCounts()[0].summaryJson).toBe(summary);
    store.close();
  });

  it('refuses a corrupt file, a foreign SQLite database, a newer schema and a missing store', () => {
    const garbage = join(dir, 'garbage.sqlite');
    writeFileSync(garbage, 'this is not a database at all, just some text that is long enough'.repeat(100));
    expect(() => openStore(garbage)).toThrow(/garbage\.sqlite: not an SQLite database/);
    const foreign = join(dir, 'foreign.sqlite');
    const f = new Database(foreign);
    f.exec('CREATE TABLE patients (id TEXT)');
    f.close();
    expect(() => openStore(foreign, { create: true })).toThrow(/foreign\.sqlite: not an oligotrack cohort store/);
    const newer = join(dir, 'newer.sqlite');
    openStore(newer, { create: true }).close();
    const n = new Database(newer);
    n.pragma('user_version = 99');
    n.close();
    expect(() => openStore(newer)).toThrow(/newer oligotrack \(store schema 99/);
    expect(() => openStore(join(dir, 'none.sqlite'))).toThrow(UserError);
  });

  it('a damaged page is reported as corruption, not a crash', async () => {
    const path = join(dir, 'c.sqlite');
    const store = openStore(path, { create: true });
    for (let i = 0; i < 5; i++) await ingestCountFile(store, writeSample(dir, { sample: `S${i}`, nSites: 200, seed: i }));
    store.close();
    const db = new Database(path);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
    db.close();
    const bytes = readFileSync(path);
    // Overwrite pages 2.. (page size 4096) with noise, keeping the 100-byte header intact.
    for (let i = 4096; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    writeFileSync(path, bytes);
    let message = '';
    try {
      const s = openStore(path);
      s.exportCounts();
      s.close();
    } catch (e) {
      message = (e as Error).message;
      expect(e).toBeInstanceOf(UserError);
    }
    expect(message).toMatch(/c\.sqlite: (database is corrupt|not an SQLite database)/);
  });

  it('rejects a document that is not an oligotrack.count v1', () => {
    const doc = JSON.parse(countDocumentText({ sample: 'S', bam: 'x.bam' }));
    expect(() => parseCountDocument(JSON.stringify({ ...doc, schema_version: 2 }), 'x.json')).toThrow(
      /x\.json: not an oligotrack\.count v1 document: schema_version/,
    );
    expect(() => parseCountDocument('{"oops', 'y.json')).toThrow(/y\.json: not valid JSON/);
    doc.rows[1].depth = -1;
    expect(() => parseCountDocument(JSON.stringify(doc), 'z.json')).toThrow(/z\.json: .*rows\.1\.depth/);
  });

  it("stored rows convert back to the SiteCounts the engine produced (round trip through count's row writer)", async () => {
    const original: SiteCounts[] = [0, 1].map((i) => ({
      site: { chrom: 'chr3', pos1: 179_234_297 + i, ref: 'A', alt: 'G', gene: 'PIK3CA', protein: `p.H1047R${i}`, id: `s${i}` },
      depth: 900 + i,
      refCount: 880,
      altCount: 15 + i,
      otherCount: 5,
      deletions: 1,
      insertions: 0,
      altFwd: 8,
      altRev: 7 + i,
      discordantMates: 2,
      meanFragLenRef: 166.25,
      meanFragLenAlt: i ? 141.5 : Number.NaN,
      rawRefCount: 1500,
      rawAltCount: 25,
      families: 0,
    }));
    const rows = original.map((c) => toOutputRow('S9', c, c.site.chrom));
    const store = openStore(join(dir, 'c.sqlite'), { create: true });
    const doc = { ...JSON.parse(countDocumentText({ sample: 'S9', bam: 'x.bam' })), rows };
    store.ingestCount({ count: parseCountDocument(JSON.stringify(doc), 'S9.json'), bamSha256: 'a'.repeat(64) });
    const [stored] = store.exportCounts();
    expect(storedCountToSiteCounts(stored)).toEqual(original);
    expect([stored.build, stored.readsSeen, stored.readsPassing, stored.settings.min_baseq]).toEqual(['GRCh38', 10_000, 9_000, 20]);
    store.close();
  });
});
