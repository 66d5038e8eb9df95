/**
 * The cohort store's schema, versioned with `PRAGMA user_version`. A migration is appended, never
 * edited: a store written by schema N is upgraded in one transaction by running N+1.. in order.
 * `PRAGMA application_id` marks the file as ours, so a foreign SQLite file is refused instead of
 * having tables added to it.
 */

/** 'OLGT' in ASCII: the SQLite header's application id for oligotrack stores. */
export const STORE_APPLICATION_ID = 0x4f4c4754;

export interface Migration {
  /** user_version after this migration has run. */
  version: number;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE sample (
        sample TEXT PRIMARY KEY
      ) STRICT;

      -- One row per ingested count result. A sample gets a new version whenever its BAM content,
      -- count settings, sites or results change; old versions are kept, never overwritten.
      CREATE TABLE count_version (
        version_id      INTEGER PRIMARY KEY,
        sample          TEXT    NOT NULL REFERENCES sample(sample),
        version         INTEGER NOT NULL,
        bam_path        TEXT    NOT NULL,
        bam_sha256      TEXT    NOT NULL,
        settings_json   TEXT    NOT NULL,
        settings_sha256 TEXT    NOT NULL,
        content_sha256  TEXT    NOT NULL,
        build           TEXT    NOT NULL,
        reads_seen      INTEGER NOT NULL,
        reads_passing   INTEGER NOT NULL,
        n_sites         INTEGER NOT NULL,
        tool_version    TEXT    NOT NULL,
        count_json      TEXT    NOT NULL,
        summary_json    TEXT,
        ingested_at     TEXT    NOT NULL,
        UNIQUE (sample, version),
        UNIQUE (sample, bam_sha256, settings_sha256, content_sha256)
      ) STRICT;

      CREATE TABLE site_count (
        version_id         INTEGER NOT NULL REFERENCES count_version(version_id),
        site_index         INTEGER NOT NULL,
        chrom              TEXT    NOT NULL,
        pos1               INTEGER NOT NULL,
        ref                TEXT    NOT NULL,
        alt                TEXT    NOT NULL,
        gene               TEXT    NOT NULL,
        protein            TEXT    NOT NULL,
        site_id            TEXT    NOT NULL,
        depth              INTEGER NOT NULL,
        ref_count          INTEGER NOT NULL,
        alt_count          INTEGER NOT NULL,
        other_count        INTEGER NOT NULL,
        vaf                REAL,
        deletions          INTEGER NOT NULL,
        insertions         INTEGER NOT NULL,
        alt_fwd            INTEGER NOT NULL,
        alt_rev            INTEGER NOT NULL,
        discordant_mates   INTEGER NOT NULL,
        mean_frag_len_ref  REAL,
        mean_frag_len_alt  REAL,
        raw_ref_count      INTEGER NOT NULL,
        raw_alt_count      INTEGER NOT NULL,
        families           INTEGER NOT NULL,
        -- Present when count ran with --pon/--alpha (the call annotation); else NULL.
        background_rate    REAL,
        p_value            REAL,
        vaf_low            REAL,
        vaf_high           REAL,
        lod                REAL,
        call               TEXT,
        PRIMARY KEY (version_id, site_index)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    sql: `
      -- One row per classified imaging assessment (classify --store). A patient's assessment gets a
      -- new version whenever its classification document changes (new draws, another policy, a new
      -- tool version); old versions are kept. assessment_json is the assessment object of
      -- classification.json (same key order), so a report can be rebuilt from it.
      CREATE TABLE classification (
        classification_id INTEGER PRIMARY KEY,
        patient           TEXT    NOT NULL,
        assessment_date   TEXT    NOT NULL,
        version           INTEGER NOT NULL,
        group_id          TEXT    NOT NULL,
        policy_file       TEXT    NOT NULL,
        policy_name       TEXT    NOT NULL,
        tool_version      TEXT    NOT NULL,
        content_sha256    TEXT    NOT NULL,
        assessment_json   TEXT    NOT NULL,
        recorded_at       TEXT    NOT NULL,
        UNIQUE (patient, assessment_date, version),
        UNIQUE (patient, assessment_date, content_sha256)
      ) STRICT;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
