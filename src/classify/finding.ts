/**
 * What classification says of one targetable alteration and of one site's trend: the shapes the
 * targetable-findings stage produces, the model's trend feeds, and the classification records carry.
 * Kept apart so the record types never import the stages that compute them.
 */

/**
 * A targetable site's trend at the window: `rising` only when the model's per-site test says so at
 * some window draw (Benjamini–Hochberg across the sites given, Bonferroni over the window draws, and
 * at least the policy fold from the site's own nadir phase of the current line) — the model's
 * `rising`, or its `emerged` (significant, from a nadir phase that did not detect the site).
 */
export type TrendStatus = 'rising' | 'falling' | 'stable' | 'not_evaluable';

export interface FindingTrend {
  key: string;
  status: TrendStatus;
  fold: number | null;
  lower: number | null;
  upper: number | null;
  text: string;
}

export type FindingHistory = 'newly_emerged' | 'emerged_on_line' | 'present_since_first_draw' | 'known_since_baseline' | 'truncal';

export interface TargetableFinding {
  key: string;
  gene: string;
  protein: string;
  label: string;
  /** Detected in the window after FDR control. */
  detected: boolean;
  qValue: number;
  /** The window draw with the smallest detection p-value. */
  draw: {
    index: number;
    sample: string;
    date: string;
    daysFromScan: number;
    alt: number;
    depth: number;
    vaf: number | null;
    lod: number | null;
  } | null;
  history: FindingHistory | null;
  trend: FindingTrend | null;
  therapies: string[];
  source: string;
  matchedAgents: string[];
  /** The current therapy's classes, and the words of it no agent matched. */
  currentClasses: string[];
  unknownTherapyWords: string[];
  /** Some matched agent's class is not being given now. */
  differs: boolean;
  /** Current drug classes this alteration makes ineffective. */
  resistsCurrent: string[];
  qualifies: boolean;
  /** Why it does or does not make the group, in words (e.g. "resists the current aromatase inhibitor (letrozole)"). */
  why: string;
  /** One sentence for the rationale. */
  text: string;
}
