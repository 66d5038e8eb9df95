/**
 * The patient's lines of systemic therapy, so that windows and baselines stay inside one line:
 * a draw on another line describes another treatment. Pure data and functions; the use case that
 * reads clinical.csv (one row per line) fills them.
 */
import type { ClinicalRow, TherapyClass } from '../io/clinical.js';

/** One line of systemic therapy: what was given and from which day. */
export interface TherapyLine {
  therapy: string;
  therapyClass: TherapyClass;
  /** ISO date the line started. */
  start: string;
  /** Days since 1970-01-01 of `start` (isoDateToDay). */
  startDay: number;
}

/** clinical.csv rows (one per line of therapy) as therapy lines. */
export function therapyLinesOf(rows: readonly ClinicalRow[]): TherapyLine[] {
  return rows.map((r) => ({ therapy: r.therapy, therapyClass: r.therapyClass, start: r.therapyStart, startDay: r.therapyStartDay }));
}

/** The history sorted by start day (earliest first); lines with the same start keep their order. */
export function sortedLines(history: readonly TherapyLine[]): TherapyLine[] {
  return history
    .map((l, i) => ({ l, i }))
    .sort((a, b) => a.l.startDay - b.l.startDay || a.i - b.i)
    .map((x) => x.l);
}

/** The line in force on `day` (the latest that started on or before it), or null. */
export function lineOn(history: readonly TherapyLine[], day: number): TherapyLine | null {
  let cur: TherapyLine | null = null;
  for (const l of sortedLines(history)) if (l.startDay <= day) cur = l;
  return cur;
}

/** The first line that starts strictly after `day`, or null. */
export function nextLineAfter(history: readonly TherapyLine[], day: number): TherapyLine | null {
  return sortedLines(history).find((l) => l.startDay > day) ?? null;
}
