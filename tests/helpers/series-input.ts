/** The longitudinal model's input for tests: draws two months apart from 2026-01-01, therapy from a week before. */
import type { BetweenDrawPrior, LongitudinalInput, ModelSettings, SeriesSite } from '../../src/timeline/longitudinal/types.js';

export const DAY0 = 20_454; // 2026-01-01

/** `windowIdx` absent: the last draw. */
export function seriesInput(
  sites: SeriesSite[],
  windowIdx: number[] | undefined,
  prior: BetweenDrawPrior,
  settings: ModelSettings,
): LongitudinalInput {
  const T = sites[0].alt.length;
  return {
    draws: Array.from({ length: T }, (_, t) => ({
      sample: `d${t}`,
      day: DAY0 + 60 * t,
      date: new Date((DAY0 + 60 * t) * 86_400_000).toISOString().slice(0, 10),
    })),
    sites,
    windowIdx: windowIdx ?? [T - 1],
    therapyStartDay: DAY0 - 7,
    prior,
    settings,
  };
}

export const seriesSite = (key: string, alt: number[], depth: number[]): SeriesSite => ({ key, label: key, alt, depth });
