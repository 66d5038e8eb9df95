import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { UserError } from '../util/errors.js';
import { canonicalJson, sha256Hex } from './canonical.js';
import type { CountOutputRow } from '../count/output/row.js';
import type { CountDocument } from './count-document.js';
import { storeError } from './errors.js';
import { fromSiteRecord, SITE_COLUMNS, siteValues, type SiteRecord } from './site-rows.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, STORE_APPLICATION_ID } from './schema.js';

/** How long a writer waits for another process's transaction before giving up (ms). */
const BUSY_TIMEOUT_MS = 60_000;

export interface OpenStoreOptions {
  /** Create (and initialise) the file when it does not exist. Default false. */
  create?: boolean;
  readonly?: boolean;
}

export interface IngestInput {
  count: CountDocument;
  /** SHA-256 of the BAM's bytes: part of what makes two ingests "the same". */
  bamSha256: string;
  /** Summary JSON text for the sample (verbatim), when given. */
  summaryText?: string;
}

export type IngestStatus = 'added' | 'new-version' | 'unchanged';

export interface IngestOutcome {
  sample: string;
  version: number;
  status: IngestStatus;
}

export interface SampleListing {
  sample: string;
  /** The newest version: the one `export` uses unless told otherwise. */
  currentVersion: number;
  versions: number;
  bamSha256: string;
  build: string;
  nSites: number;
  hasSummary: boolean;
}

export interface VersionListing {
  sample: string;
  version: number;
  bamPath: string;
  bamSha256: string;
  settingsSha256: string;
  contentSha256: string;
  build: string;
  nSites: number;
  toolVersion: string;
  hasSummary: boolean;
  ingestedAt: string;
}

export interface StoredCount {
  sample: string;
  version: number;
  bamPath: string;
  bamSha256: string;
  build: string;
  readsSeen: number;
  readsPassing: number;
  /** The count settings as the document recorded them (snake_case, count's settingsRecord). */
  settings: Record<string, unknown>;
  countJson: string;
  summaryJson: string | null;
  rows: CountOutputRow[];
}

export interface ExportQuery {
  /** Only these samples (default: all). An unknown sample is an error. */
  samples?: string[];
  /** A specific version (only with exactly one sample); default the newest. */
  version?: number;
}

/** One classified assessment as classify writes it (classification.json `assessments[i]`). */
export interface ClassificationInput {
  patient: string;
  assessment_date: string;
  group: string;
}

export interface ClassificationRun<A extends ClassificationInput = ClassificationInput> {
  toolVersion: string;
  policyFile: string;
  policyName: string;
  assessments: readonly A[];
}

export interface ClassificationOutcome {
  patient: string;
  assessmentDate: string;
  version: number;
  status: IngestStatus;
}

export interface StoredClassification {
  patient: string;
  assessmentDate: string;
  version: number;
  group: string;
  policyFile: string;
  policyName: string;
  toolVersion: string;
  /** The assessment object, as recorded (classification.json's key order). */
  assessment: Record<string, unknown>;
}

/**
 * An open cohort store. Every ingest is one IMMEDIATE transaction, so a reader or a killed writer
 * never sees a version without all its site rows; WAL lets readers run beside one writer and the
 * busy timeout queues concurrent writers (two pipeline jobs) instead of failing them.
 */
export class CohortStore {
  readonly path: string;
  private readonly db: Database.Database;

  constructor(path: string, db: Database.Database) {
    this.path = path;
    this.db = db;
  }

  /** Ingest one sample's count result (and optional summary). Idempotent; keeps history. */
  ingestCount(input: IngestInput): IngestOutcome {
    const { count } = input;
    const settingsSha256 = countSettingsSha256(count.settings, count.rows);
    const contentSha256 = sha256Hex(
      canonicalJson({
        build: count.build,
        readsSeen: count.readsSeen,
        readsPassing: count.readsPassing,
        rows: count.rows,
        summary: input.summaryText ?? null,
      }),
    );
    const run = this.db.transaction((): IngestOutcome => {
      const same = this.db
        .prepare('SELECT version FROM count_version WHERE sample = ? AND bam_sha256 = ? AND settings_sha256 = ? AND content_sha256 = ?')
        .get(count.sample, input.bamSha256, settingsSha256, contentSha256) as { version: number } | undefined;
      if (same) return { sample: count.sample, version: same.version, status: 'unchanged' };
      const last = this.db.prepare('SELECT MAX(version) AS v FROM count_version WHERE sample = ?').get(count.sample) as {
        v: number | null;
      };
      const version = (last.v ?? 0) + 1;
      this.db.prepare('INSERT OR IGNORE INTO sample (sample) VALUES (?)').run(count.sample);
      const info = this.db
        .prepare(
          `INSERT INTO count_version (sample, version, bam_path, bam_sha256, settings_json, settings_sha256, content_sha256,
             build, reads_seen, reads_passing, n_sites, tool_version, count_json, summary_json, ingested_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          count.sample,
          version,
          count.bamPath,
          input.bamSha256,
          canonicalJson(count.settings),
          settingsSha256,
          contentSha256,
          count.build,
          count.readsSeen,
          count.readsPassing,
          count.rows.length,
          count.toolVersion,
          count.text,
          input.summaryText ?? null,
          new Date().toISOString(),
        );
      const versionId = Number(info.lastInsertRowid);
      const insertRow = this.db.prepare(
        `INSERT INTO site_count (version_id, site_index, ${SITE_COLUMNS.join(', ')})
         VALUES (?, ?, ${SITE_COLUMNS.map(() => '?').join(', ')})`,
      );
      count.rows.forEach((r, i) => insertRow.run(versionId, i, ...siteValues(r)));
      return { sample: count.sample, version, status: version === 1 ? 'added' : 'new-version' };
    });
    return this.guard(() => run.immediate());
  }

  /**
   * The newest stored count of `sample` made from the same BAM bytes with the same settings and
   * sites (in the same order), or undefined. `settingsSha256` is `countSettingsSha256` of what the
   * caller would count; this is how `track --store` reuses a draw instead of counting it again.
   */
  findCount(sample: string, bamSha256: string, settingsSha256: string): StoredCount | undefined {
    return this.guard(() => {
      const v = this.db
        .prepare(
          'SELECT version FROM count_version WHERE sample = ? AND bam_sha256 = ? AND settings_sha256 = ? ORDER BY version DESC LIMIT 1',
        )
        .get(sample, bamSha256, settingsSha256) as { version: number } | undefined;
      return v ? this.exportCounts({ samples: [sample], version: v.version })[0] : undefined;
    });
  }

  /**
   * Record a classify run's assessments, all in one transaction. Per (patient, assessment date):
   * the same document (assessment, policy, tool version) again is `unchanged`; anything else is a
   * new version, the old kept.
   */
  recordClassifications(run: ClassificationRun): ClassificationOutcome[] {
    const tx = this.db.transaction((): ClassificationOutcome[] =>
      run.assessments.map((a) => {
        // As classification.json writes it (key order kept; non-finite numbers as null).
        const assessmentJson = JSON.stringify(a, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
        const content = sha256Hex(
          canonicalJson({
            assessment: assessmentJson,
            policyFile: run.policyFile,
            policyName: run.policyName,
            toolVersion: run.toolVersion,
          }),
        );
        const same = this.db
          .prepare('SELECT version FROM classification WHERE patient = ? AND assessment_date = ? AND content_sha256 = ?')
          .get(a.patient, a.assessment_date, content) as { version: number } | undefined;
        if (same) return { patient: a.patient, assessmentDate: a.assessment_date, version: same.version, status: 'unchanged' };
        const last = this.db
          .prepare('SELECT MAX(version) AS v FROM classification WHERE patient = ? AND assessment_date = ?')
          .get(a.patient, a.assessment_date) as { v: number | null };
        const version = (last.v ?? 0) + 1;
        this.db
          .prepare(
            `INSERT INTO classification (patient, assessment_date, version, group_id, policy_file, policy_name, tool_version, content_sha256, assessment_json, recorded_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            a.patient,
            a.assessment_date,
            version,
            a.group,
            run.policyFile,
            run.policyName,
            run.toolVersion,
            content,
            assessmentJson,
            new Date().toISOString(),
          );
        return { patient: a.patient, assessmentDate: a.assessment_date, version, status: version === 1 ? 'added' : 'new-version' };
      }),
    );
    return this.guard(() => tx.immediate());
  }

  /**
   * The newest version of every recorded assessment (of the given patients, default all), sorted
   * by patient then assessment date.
   */
  listClassifications(patients?: readonly string[]): StoredClassification[] {
    return this.guard(() => {
      const rows = this.db
        .prepare(
          `SELECT c.* FROM classification c
             JOIN (SELECT patient, assessment_date, MAX(version) AS latest FROM classification GROUP BY patient, assessment_date) m
               ON m.patient = c.patient AND m.assessment_date = c.assessment_date AND m.latest = c.version
            ORDER BY c.patient, c.assessment_date`,
        )
        .all() as Record<string, string | number>[];
      const wanted = patients ? new Set(patients) : undefined;
      return rows
        .filter((r) => !wanted || wanted.has(r.patient as string))
        .map((r) => ({
          patient: r.patient as string,
          assessmentDate: r.assessment_date as string,
          version: r.version as number,
          group: r.group_id as string,
          policyFile: r.policy_file as string,
          policyName: r.policy_name as string,
          toolVersion: r.tool_version as string,
          assessment: JSON.parse(r.assessment_json as string) as Record<string, unknown>,
        }));
    });
  }

  /** One entry per sample, sorted by sample name, describing its newest version. */
  listSamples(): SampleListing[] {
    return this.guard(() => {
      const rows = this.db
        .prepare(
          `SELECT v.sample, v.version, c.versions, v.bam_sha256, v.build, v.n_sites, v.summary_json IS NOT NULL AS has_summary
             FROM count_version v
             JOIN (SELECT sample, MAX(version) AS latest, COUNT(*) AS versions FROM count_version GROUP BY sample) c
               ON c.sample = v.sample AND c.latest = v.version
            ORDER BY v.sample`,
        )
        .all() as {
        sample: string;
        version: number;
        versions: number;
        bam_sha256: string;
        build: string;
        n_sites: number;
        has_summary: number;
      }[];
      return rows.map((r) => ({
        sample: r.sample,
        currentVersion: r.version,
        versions: r.versions,
        bamSha256: r.bam_sha256,
        build: r.build,
        nSites: r.n_sites,
        hasSummary: r.has_summary === 1,
      }));
    });
  }

  /** Every version of every sample (or of the given ones), sorted by sample then version. */
  listVersions(samples?: string[]): VersionListing[] {
    return this.guard(() => {
      const rows = this.db
        .prepare(
          `SELECT sample, version, bam_path, bam_sha256, settings_sha256, content_sha256, build, n_sites, tool_version,
                  summary_json IS NOT NULL AS has_summary, ingested_at
             FROM count_version ORDER BY sample, version`,
        )
        .all() as Record<string, string | number>[];
      const wanted = samples ? new Set(samples) : undefined;
      return rows
        .filter((r) => !wanted || wanted.has(r.sample as string))
        .map((r) => ({
          sample: r.sample as string,
          version: r.version as number,
          bamPath: r.bam_path as string,
          bamSha256: r.bam_sha256 as string,
          settingsSha256: r.settings_sha256 as string,
          contentSha256: r.content_sha256 as string,
          build: r.build as string,
          nSites: r.n_sites as number,
          toolVersion: r.tool_version as string,
          hasSummary: r.has_summary === 1,
          ingestedAt: r.ingested_at as string,
        }));
    });
  }

  /** Counts of the requested samples (newest version unless `version` is given), sorted by sample. */
  exportCounts(query: ExportQuery = {}): StoredCount[] {
    return this.guard(() => {
      const known = new Set(this.listSamples().map((s) => s.sample));
      const samples = query.samples ? [...new Set(query.samples)].sort() : [...known].sort();
      for (const s of samples) if (!known.has(s)) throw new UserError(`${this.path}: no sample "${s}" in the store`);
      if (query.version !== undefined && samples.length !== 1) {
        throw new UserError('a specific --count-version needs exactly one --sample', 2);
      }
      const versionRow = this.db.prepare(
        query.version === undefined
          ? 'SELECT * FROM count_version WHERE sample = ? ORDER BY version DESC LIMIT 1'
          : 'SELECT * FROM count_version WHERE sample = ? AND version = ?',
      );
      const siteRows = this.db.prepare(`SELECT ${SITE_COLUMNS.join(', ')} FROM site_count WHERE version_id = ? ORDER BY site_index`);
      return samples.map((sample) => {
        const args = query.version === undefined ? [sample] : [sample, query.version];
        const v = versionRow.get(...args) as Record<string, string | number | null> | undefined;
        if (!v) throw new UserError(`${this.path}: sample "${sample}" has no version ${query.version}`);
        return {
          sample,
          version: v.version as number,
          bamPath: v.bam_path as string,
          bamSha256: v.bam_sha256 as string,
          build: v.build as string,
          readsSeen: v.reads_seen as number,
          readsPassing: v.reads_passing as number,
          settings: JSON.parse(v.settings_json as string) as Record<string, unknown>,
          countJson: v.count_json as string,
          summaryJson: v.summary_json as string | null,
          rows: (siteRows.all(v.version_id) as SiteRecord[]).map((r) => fromSiteRecord(r, sample)),
        };
      });
    });
  }

  /** `PRAGMA integrity_check` plus the store's own invariant: every version has all its site rows. */
  check(): string[] {
    return this.guard(() => {
      const problems = (this.db.pragma('integrity_check') as { integrity_check: string }[])
        .map((r) => r.integrity_check)
        .filter((m) => m !== 'ok');
      const partial = this.db
        .prepare(
          `SELECT v.sample, v.version, v.n_sites, COUNT(s.site_index) AS stored
             FROM count_version v LEFT JOIN site_count s ON s.version_id = v.version_id
            GROUP BY v.version_id HAVING stored != v.n_sites`,
        )
        .all() as { sample: string; version: number; n_sites: number; stored: number }[];
      for (const p of partial) problems.push(`sample ${p.sample} version ${p.version}: ${p.stored} of ${p.n_sites} site rows`);
      return problems;
    });
  }

  close(): void {
    this.db.close();
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      storeError(this.path, e);
    }
  }
}

function siteKey(r: { chrom: string; pos: number; ref: string; alt: string }): string {
  return `${r.chrom}:${r.pos}:${r.ref}:${r.alt}`;
}

/**
 * The identity of "what was counted": the settings record (count's snake_case `settingsRecord`)
 * and the sites in order. Two counts of the same BAM bytes with the same value are the same count.
 */
export function countSettingsSha256(
  settings: Record<string, unknown>,
  rows: readonly { chrom: string; pos: number; ref: string; alt: string }[],
): string {
  return sha256Hex(canonicalJson({ settings, sites: rows.map(siteKey) }));
}

/**
 * Open (optionally create) a cohort store. Refuses, with one clear error, a file that is not
 * SQLite, a corrupt one, a foreign SQLite database, or one written by a newer schema.
 */
export function openStore(path: string, options: OpenStoreOptions = {}): CohortStore {
  const exists = existsSync(path);
  if (!exists && !options.create) throw new UserError(`${path}: no cohort store here (create one with: oligotrack store init ${path})`);
  if (exists && statSync(path).isDirectory()) throw new UserError(`${path}: is a directory, not a cohort store`);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: options.readonly ?? false, timeout: BUSY_TIMEOUT_MS });
    // Reading the header first: a non-SQLite file fails here with SQLITE_NOTADB. The three reads
    // share one read transaction: another process creating the store commits its tables, version
    // and application_id together, and separate reads could see the tables without the id.
    const d = db;
    const { appId, userVersion, tables } = d.transaction(() => ({
      appId: d.pragma('application_id', { simple: true }) as number,
      userVersion: d.pragma('user_version', { simple: true }) as number,
      tables: (d.prepare("SELECT COUNT(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n,
    }))();
    if (appId !== STORE_APPLICATION_ID && !(appId === 0 && userVersion === 0 && tables === 0)) {
      throw new UserError(`${path}: not an oligotrack cohort store (a foreign SQLite database; application_id ${appId})`);
    }
    if (userVersion > LATEST_SCHEMA_VERSION) {
      throw new UserError(
        `${path}: written by a newer oligotrack (store schema ${userVersion}; this version reads up to ${LATEST_SCHEMA_VERSION})`,
      );
    }
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      migrate(db, path);
    } else if (userVersion === 0) {
      throw new UserError(`${path}: empty cohort store (initialise it with: oligotrack store init ${path})`);
    } else if (userVersion < LATEST_SCHEMA_VERSION) {
      throw new UserError(`${path}: store schema ${userVersion} needs an upgrade; open it once read-write`);
    }
    return new CohortStore(path, db);
  } catch (e) {
    db?.close();
    return storeError(path, e);
  }
}

/** Run the migrations the file lacks, all in one transaction (so two first openers cannot both run them). */
function migrate(db: Database.Database, path: string): void {
  const run = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    const appId = db.pragma('application_id', { simple: true }) as number;
    if (current > 0 && appId !== STORE_APPLICATION_ID) throw new UserError(`${path}: not an oligotrack cohort store`);
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
    if (appId !== STORE_APPLICATION_ID) db.pragma(`application_id = ${STORE_APPLICATION_ID}`);
  });
  if ((db.pragma('user_version', { simple: true }) as number) < LATEST_SCHEMA_VERSION) run.immediate();
}
