/**
 * The assessment window: the draws that describe the patient at an imaging assessment. Asymmetric
 * (by default 60 days before to 28 days after the scan, so the usual work-up draw taken days after
 * the scan counts and a draw three months old does not), and never across a change of therapy: a
 * draw on another line describes another treatment. Also splits the earlier draws into the current
 * line's baseline and earlier lines (shown, never compared). Pure.
 */
import { isoDateToDay } from '../io/csv-schema.js';
import { type TherapyLine, lineOn, nextLineAfter, sortedLines } from './context.js';
import type { PolicyRules } from './policy.js';

export interface DrawRef {
  sample: string;
  collection_date: string;
  /** The samplesheet's therapy column, when given. */
  therapy?: string | null;
}

export interface WindowDraw {
  /** Index into the timeline's draws. */
  index: number;
  sample: string;
  date: string;
  /** Collection day − scan day (negative = before the scan). */
  daysFromScan: number;
}

export interface AssessmentWindow {
  /** Inclusive day bounds after clipping to the current line. */
  fromDay: number;
  toDay: number;
  draws: WindowDraw[];
  /** The window draw closest to the scan (earlier on ties), or null. */
  nearest: WindowDraw | null;
  /** Draws classification may look at: on or before the window end (later draws are never used). */
  usedIdx: number[];
  /** Draws of the current line before the window: the baseline the model compares with. */
  baselineIdx: number[];
  /** Draws before the current line started: shown on the chart and in the rationale, never compared. */
  earlierLineIdx: number[];
  currentLine: TherapyLine | null;
  nextLine: TherapyLine | null;
  /** Where the lines came from. */
  linesFrom: 'clinical' | 'samplesheet' | 'none';
  /** Non-null when the window holds no draw: why, naming the nearest draws left out. */
  problem: string | null;
  /** E.g. "draw P_d3 5 days after the scan", for the rationale. */
  intervalText: string;
}

const DAY_MS = 86_400_000;
const dayToIso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** "5 days after the scan", "3 days before the scan", "on the day of the scan". */
export function intervalWords(daysFromScan: number): string {
  if (daysFromScan === 0) return 'on the day of the scan';
  const n = Math.abs(daysFromScan);
  return `${n} day${n === 1 ? '' : 's'} ${daysFromScan < 0 ? 'before' : 'after'} the scan`;
}

/**
 * Lines from the samplesheet's therapy column when clinical.csv gives no history: a new line starts
 * at the first draw whose therapy differs from the previous draw's (the switch happened on or
 * before that draw; the day is not known more precisely).
 */
export function linesFromDraws(draws: readonly DrawRef[]): TherapyLine[] {
  const out: TherapyLine[] = [];
  let prev: string | null = null;
  for (const d of draws) {
    const t = d.therapy ?? null;
    if (t === null || t === '') continue;
    if (t !== prev) out.push({ therapy: t, therapyClass: 'other', start: d.collection_date, startDay: isoDateToDay(d.collection_date) });
    prev = t;
  }
  return out;
}

export function assessmentWindow(
  draws: readonly DrawRef[],
  scanDay: number,
  history: readonly TherapyLine[],
  rules: Pick<PolicyRules, 'assessment_window'>,
): AssessmentWindow {
  const w = rules.assessment_window;
  const fromHistory = history.length > 0;
  const lines = fromHistory ? sortedLines(history) : linesFromDraws(draws);
  const linesFrom: AssessmentWindow['linesFrom'] = fromHistory ? 'clinical' : lines.length > 0 ? 'samplesheet' : 'none';
  const currentLine = lineOn(lines, scanDay);
  const nextLine = nextLineAfter(lines, scanDay);
  // A draw taken on the day a line starts belongs to that line (blood is drawn before the first dose).
  const fromDay = Math.max(scanDay - w.days_before, currentLine ? currentLine.startDay : -Infinity);
  const toDay = Math.min(scanDay + w.days_after, nextLine ? nextLine.startDay - 1 : Infinity);
  const days = draws.map((d) => isoDateToDay(d.collection_date));

  const windowDraws: WindowDraw[] = [];
  const usedIdx: number[] = [];
  const baselineIdx: number[] = [];
  const earlierLineIdx: number[] = [];
  days.forEach((day, i) => {
    if (day > toDay) return;
    usedIdx.push(i);
    if (day >= fromDay)
      windowDraws.push({ index: i, sample: draws[i].sample, date: draws[i].collection_date, daysFromScan: day - scanDay });
    else if (currentLine && day < currentLine.startDay) earlierLineIdx.push(i);
    else baselineIdx.push(i);
  });

  const nearest = windowDraws.reduce<WindowDraw | null>(
    (best, d) => (best === null || Math.abs(d.daysFromScan) < Math.abs(best.daysFromScan) ? d : best),
    null,
  );

  let problem: string | null = null;
  if (windowDraws.length === 0) {
    const range = `${w.days_before} days before to ${w.days_after} days after the scan`;
    const clipped: string[] = [];
    if (currentLine && currentLine.startDay > scanDay - w.days_before)
      clipped.push(`from the start of ${currentLine.therapy} on ${currentLine.start}`);
    if (nextLine && nextLine.startDay - 1 < scanDay + w.days_after) clipped.push(`up to the change of therapy on ${nextLine.start}`);
    const notes: string[] = [];
    const lastBefore = [...usedIdx].reverse().find((i) => days[i] < fromDay);
    if (lastBefore !== undefined)
      notes.push(`last draw ${draws[lastBefore].collection_date}, ${intervalWords(days[lastBefore] - scanDay)}`);
    else notes.push('no draw before it');
    const afterChange = days.findIndex((day) => nextLine !== null && day >= nextLine.startDay && day <= scanDay + w.days_after);
    if (afterChange >= 0) {
      notes.push(
        `${draws[afterChange].sample} (${intervalWords(days[afterChange] - scanDay)}) is after the change of therapy to ${nextLine!.therapy} on ${nextLine!.start}`,
      );
    }
    problem = `no ctDNA draw in the window (${range}${clipped.length ? `, ${clipped.join(' and ')}` : ''}: ${dayToIso(fromDay === -Infinity ? scanDay - w.days_before : fromDay)} to ${dayToIso(toDay === Infinity ? scanDay + w.days_after : toDay)}); ${notes.join('; ')}`;
  }

  const intervalText = windowDraws.map((d) => `${d.sample} ${intervalWords(d.daysFromScan)}`).join(', ');
  return {
    fromDay,
    toDay,
    draws: windowDraws,
    nearest,
    usedIdx,
    baselineIdx,
    earlierLineIdx,
    currentLine,
    nextLine,
    linesFrom,
    problem,
    intervalText,
  };
}
