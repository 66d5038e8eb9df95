import { createHash } from 'node:crypto';
import type { ClassificationDocument } from '../classify/types.js';
import { UsageError } from '../util/errors.js';
import type { ReportMeta } from './types.js';
import { upstreamPolicySha256 } from './upstream.js';

/**
 * The report's date line. A report date is an input (`--report-date`), else the data cut-off —
 * the latest draw or imaging assessment — so the same data always give the same bytes; the clock
 * is never read.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Checks `--report-date` (a real calendar date, YYYY-MM-DD); returns it unchanged. */
export function checkReportDate(value: string): string {
  const m = ISO_DATE.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !d || d.toISOString().slice(0, 10) !== value) {
    throw new UsageError(`--report-date: '${value}' is not a date (expected YYYY-MM-DD, e.g. 2025-06-16)`);
  }
  return value;
}

/** The latest of the given ISO dates ('' when none). ISO dates sort as strings. */
export function latestDate(dates: Iterable<string>): string {
  let best = '';
  for (const d of dates) if (ISO_DATE.test(d) && d > best) best = d;
  return best;
}

/**
 * sha256 of the policy: classify's `policy_sha256` (of the policy file) when it recorded one,
 * else of the rules as the classification recorded them (id, description, threshold, source of
 * each rule, and the policy name) — what was applied, independent of where the file lay.
 */
export function policyHash(doc: ClassificationDocument): { sha256: string; of: ReportMeta['policy_sha256_of'] } {
  const recorded = upstreamPolicySha256(doc);
  if (recorded) return { sha256: recorded, of: 'policy file' };
  const rules = new Map<string, { id: string; description: string; threshold: string; source: string }>();
  for (const a of doc.assessments) {
    for (const r of a.rules)
      if (!rules.has(r.id)) rules.set(r.id, { id: r.id, description: r.description, threshold: r.threshold, source: r.source });
  }
  const ids = [...rules.keys()].sort();
  const canonical = JSON.stringify({ policy_name: doc.policy_name, rules: ids.map((id) => rules.get(id)) });
  return { sha256: createHash('sha256').update(canonical).digest('hex'), of: 'rules as recorded' };
}

export function reportMeta(o: {
  reportDate: string | undefined;
  cohortCutoff: string;
  pageCutoff: string;
  toolVersion: string;
  policyName: string;
  policy: { sha256: string; of: ReportMeta['policy_sha256_of'] };
}): ReportMeta {
  return {
    report_date: o.reportDate ?? o.cohortCutoff,
    report_date_source: o.reportDate ? 'option' : 'data_cutoff',
    data_cutoff: o.pageCutoff,
    tool_version: o.toolVersion,
    policy_name: o.policyName,
    policy_sha256: o.policy.sha256,
    policy_sha256_of: o.policy.of,
  };
}
