/**
 * Default per-site one-sided α and minimum depth of the calling step (docs/methods/calls.md for the
 * multiplicity note). Their own module so that the command-line spec can show them without loading
 * the calling step and its statistics.
 */
export const DEFAULT_SITE_ALPHA = 0.01;
export const DEFAULT_MIN_DEPTH = 100;
