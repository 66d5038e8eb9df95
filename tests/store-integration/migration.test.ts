import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestCountFile, openStore } from '../../src/store/index.js';
import { MIGRATIONS } from '../../src/store/schema.js';
import { writeSample } from '../store/fixtures.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'oligotrack-store-mig-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('store schema 2 (classifications)', () => {
  it('upgrades a schema-1 store in place: its counts kept, the classification table added', async () => {
    const path = join(dir, 'old.sqlite');
    // A store as schema 1 left it (the first migration only), holding one sample.
    const db = new Database(path);
    db.exec(MIGRATIONS[0].sql);
    db.pragma('user_version = 1');
    db.pragma('application_id = 0x4f4c4754');
    db.close();
    const file = writeSample(dir, { sample: 'P1-T0', nSites: 3, seed: 5 });
    const s1 = openStore(path);
    expect(await ingestCountFile(s1, file)).toMatchObject({ status: 'added', version: 1 });
    s1.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(2);
    const tables = raw
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual(['classification', 'count_version', 'sample', 'site_count']);
    raw.close();
    const s2 = openStore(path, { readonly: true });
    expect(s2.listSamples().map((x) => x.sample)).toEqual(['P1-T0']);
    expect(s2.check()).toEqual([]);
    s2.close();
  });

  it('records classifications per patient and assessment: idempotent, versioned, newest listed', () => {
    const store = openStore(join(dir, 'c.sqlite'), { create: true });
    const a = { patient: 'P1', assessment_date: '2025-03-01', group: 'true_oligoprogression', rationale: 'x', vaf: Number.NaN };
    const b = { patient: 'P0', assessment_date: '2025-02-01', group: 'indeterminate', rationale: 'y' };
    const run = { toolVersion: '0.1.0', policyFile: 'p.yaml', policyName: 'default', assessments: [a, b] };
    expect(store.recordClassifications(run).map((o) => o.status)).toEqual(['added', 'added']);
    expect(store.recordClassifications(run).map((o) => o.status)).toEqual(['unchanged', 'unchanged']);
    const changed = { ...run, assessments: [{ ...a, group: 'widespread_progression' }, b] };
    expect(store.recordClassifications(changed).map((o) => [o.status, o.version])).toEqual([
      ['new-version', 2],
      ['unchanged', 1],
    ]);
    const listed = store.listClassifications();
    // Sorted by patient; the newest version; NaN kept as classification.json writes it (null).
    expect(listed.map((c) => [c.patient, c.version, c.group])).toEqual([
      ['P0', 1, 'indeterminate'],
      ['P1', 2, 'widespread_progression'],
    ]);
    expect(listed[1].assessment).toEqual({
      patient: 'P1',
      assessment_date: '2025-03-01',
      group: 'widespread_progression',
      rationale: 'x',
      vaf: null,
    });
    expect(store.listClassifications(['P1']).map((c) => c.patient)).toEqual(['P1']);
    expect(store.check()).toEqual([]);
    store.close();
  });
});
