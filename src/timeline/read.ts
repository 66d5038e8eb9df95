import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError, fileError } from '../util/errors.js';
import { DEFAULT_EVENT_SETTINGS, type PatientTimeline, SITE_EVENTS, TIMELINE_SCHEMA, TIMELINE_SCHEMA_VERSION } from './types.js';

const num = z.number().nullable();
const call = z.enum(['detected', 'not_detected', 'low_depth']);
const event = z.enum(SITE_EVENTS as [string, ...string[]]);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

/** The fields classify and report rely on; anything else in the file is carried along unchecked. */
const timelineSchema = z.object({
  schema: z.literal(TIMELINE_SCHEMA),
  schema_version: z.literal(TIMELINE_SCHEMA_VERSION),
  patient: z.string().min(1),
  draws: z.array(z.object({ sample: z.string().min(1), collection_date: date })).min(1),
  // The change test's settings (classify recomputes events with them when it drops a draw); a
  // timeline written without them gets track's defaults.
  event_settings: z
    .object({ alpha: z.number().gt(0).lt(1), min_fold: z.number().min(1), clonal_min_relative_vaf: z.number().min(0).max(1) })
    .optional(),
  sites: z.array(
    z.object({
      key: z.string(),
      chrom: z.string(),
      pos: z.number().int(),
      ref: z.string(),
      alt: z.string(),
      gene: z.string(),
      protein: z.string(),
      germline_or_ch: z.boolean(),
      tumour_informed: z.boolean().optional(),
      clonal: z.boolean(),
      points: z.array(
        z.object({
          sample: z.string(),
          depth: z.number().int().min(0),
          alt_count: z.number().int().min(0),
          vaf: num,
          call,
          event,
          change_p_value: num,
        }),
      ),
    }),
  ),
});

/** Parses one DIR/patients/<patient>.json and checks that its series line up with its draws. */
export function parsePatientTimeline(text: string, file: string): PatientTimeline {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw fileError(file, `not valid JSON (${(e as Error).message})`);
  }
  const version = (raw as { schema?: unknown; schema_version?: unknown } | null)?.schema_version;
  if (
    (raw as { schema?: unknown } | null)?.schema === TIMELINE_SCHEMA &&
    typeof version === 'number' &&
    version < TIMELINE_SCHEMA_VERSION
  ) {
    // Version 1 lacks the white-cell counts, the tissue confirmation and the identity check the
    // classifier reads: guessing them would hide a white-cell BAM the user gave.
    throw fileError(
      file,
      `timeline schema version ${version} was written by an older oligotrack; re-run 'oligotrack track' (this version reads version ${TIMELINE_SCHEMA_VERSION})`,
    );
  }
  const parsed = timelineSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw fileError(
      file,
      `not an oligotrack timeline (schema ${TIMELINE_SCHEMA} v${TIMELINE_SCHEMA_VERSION}): '${issue.path.join('.')}' ${issue.message}`,
    );
  }
  const t = parsed.data;
  for (const s of t.sites) {
    if (s.points.length !== t.draws.length)
      throw fileError(file, `site ${s.key} has ${s.points.length} points for ${t.draws.length} draws`);
    s.points.forEach((p, i) => {
      if (p.sample !== t.draws[i].sample)
        throw fileError(file, `site ${s.key} point ${i + 1} is sample ${p.sample}, expected ${t.draws[i].sample}`);
    });
  }
  for (let i = 1; i < t.draws.length; i++) {
    if (t.draws[i].collection_date < t.draws[i - 1].collection_date)
      throw fileError(file, `draws are not in date order at ${t.draws[i].sample}`);
  }
  const timeline = raw as PatientTimeline;
  if (t.event_settings === undefined) timeline.event_settings = { ...DEFAULT_EVENT_SETTINGS };
  return timeline;
}

/** Reads every DIR/patients/*.json (sorted by file name). DIR must be a `track` output directory. */
export function readTimelineDir(dir: string): PatientTimeline[] {
  const patientsDir = join(dir, 'patients');
  if (!existsSync(join(dir, 'timeline.tsv')) || !existsSync(patientsDir) || !statSync(patientsDir).isDirectory()) {
    throw new UserError(`${dir}: not a complete 'oligotrack track' output directory (expected timeline.tsv and patients/)`);
  }
  const files = readdirSync(patientsDir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new UserError(`${patientsDir}: no patient timelines (*.json)`);
  const out: PatientTimeline[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const file = join(patientsDir, f);
    const t = parsePatientTimeline(readFileSync(file, 'utf8'), file);
    if (seen.has(t.patient)) throw fileError(file, `patient ${t.patient} appears in two timeline files`);
    seen.add(t.patient);
    out.push(t);
  }
  return out;
}
