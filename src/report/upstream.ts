import type { AssessmentClassification, ClassificationDocument } from '../classify/types.js';
import type { TimelineSite } from '../timeline/types.js';
import type { SiteFlag } from './types.js';

/**
 * Optional fields the report reads from track's and classify's JSON when they are present. These
 * names are the contract with those stages: a stage that starts to write one of them gets it shown
 * in its place on the page without a change here. Everything is read defensively (type-checked at
 * run time), so older JSON and partial fields still render.
 *
 * | where | field | shown |
 * |---|---|---|
 * | classification document | `policy_sha256` (hex of the policy file's bytes) | header/footer of every page |
 * | assessment | `tumour_fraction_change` {fold, low, high, p_value, power, verdict, nadir_sample, compared_sample, method} | headline, rules |
 * | assessment | `draw_to_scan` {sample, days} (days = scan − draw) | headline |
 * | assessment | `ctdna_label` (e.g. "ctDNA return") | headline |
 * | assessment | `site_flags` [{key, kind, text}] | flags column of the findings |
 * | assessment | `targetable_mutations[].event` `detected` beside `emerged` / `rising` | findings, headline |
 * | timeline site | `flags` [{kind, text}] | flags column of the findings |
 * | clinical row (io/clinical) | `earlierLines` [{therapy, therapyClass, therapyStart}] | therapy starts on the chart |
 */

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function upstreamPolicySha256(doc: ClassificationDocument): string | null {
  const v = (doc as unknown as Json).policy_sha256;
  return typeof v === 'string' && /^[0-9a-f]{16,64}$/i.test(v) ? v.toLowerCase() : null;
}

export interface UpstreamTfChange {
  fold: number | null;
  low: number | null;
  high: number | null;
  p_value: number | null;
  power: number | null;
  verdict: string | null;
  nadir_sample: string | null;
  compared_sample: string | null;
  method: string | null;
}

export function upstreamTfChange(a: AssessmentClassification): UpstreamTfChange | null {
  const v = (a as unknown as Json).tumour_fraction_change;
  if (!isObj(v)) return null;
  return {
    fold: num(v.fold),
    low: num(v.low),
    high: num(v.high),
    p_value: num(v.p_value),
    power: num(v.power),
    verdict: str(v.verdict),
    nadir_sample: str(v.nadir_sample),
    compared_sample: str(v.compared_sample),
    method: str(v.method),
  };
}

export function upstreamDrawToScan(a: AssessmentClassification): { sample: string; days: number } | null {
  const v = (a as unknown as Json).draw_to_scan;
  if (!isObj(v)) return null;
  const sample = str(v.sample);
  const days = num(v.days);
  return sample !== null && days !== null ? { sample, days } : null;
}

export function upstreamCtdnaLabel(a: AssessmentClassification): string | null {
  return str((a as unknown as Json).ctdna_label);
}

function flagList(v: unknown): SiteFlag[] {
  if (!Array.isArray(v)) return [];
  const out: SiteFlag[] = [];
  for (const f of v) {
    if (!isObj(f)) continue;
    const text = str(f.text);
    if (text !== null) out.push({ kind: str(f.kind) ?? 'flag', text });
  }
  return out;
}

/** Flags classify attached to sites at one assessment, by site key. */
export function upstreamSiteFlags(a: AssessmentClassification | undefined): Map<string, SiteFlag[]> {
  const out = new Map<string, SiteFlag[]>();
  const v = a ? (a as unknown as Json).site_flags : undefined;
  if (!Array.isArray(v)) return out;
  for (const f of v) {
    if (!isObj(f)) continue;
    const key = str(f.key);
    const [flag] = flagList([f]);
    if (key !== null && flag) out.set(key, [...(out.get(key) ?? []), flag]);
  }
  return out;
}

/** Flags of a timeline site: its germline/CH reason, then any `flags` list track writes. */
export function timelineSiteFlags(s: TimelineSite): SiteFlag[] {
  const out: SiteFlag[] = [];
  if (s.germline_or_ch)
    out.push({
      kind: 'germline_or_ch',
      text: s.germline_or_ch_reason ? `germline or clonal haematopoiesis: ${s.germline_or_ch_reason}` : 'germline or clonal haematopoiesis',
    });
  out.push(...flagList((s as unknown as Json).flags));
  return out;
}

/** Earlier therapy lines of a clinical row, oldest first, when the clinical reader provides them. */
export function upstreamEarlierLines(c: object | undefined): { therapy: string; therapy_class: string; start: string }[] {
  const v = c ? (c as Json).earlierLines : undefined;
  if (!Array.isArray(v)) return [];
  const out: { therapy: string; therapy_class: string; start: string }[] = [];
  for (const l of v) {
    if (!isObj(l)) continue;
    const start = str(l.therapyStart);
    if (start && /^\d{4}-\d{2}-\d{2}$/.test(start))
      out.push({ therapy: str(l.therapy) ?? '', therapy_class: str(l.therapyClass) ?? '', start });
  }
  return out.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}
