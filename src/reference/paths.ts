import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The bundled `reference/` directory. This file sits at `src/reference/paths.ts` when run by
 * vitest and at `dist/reference/paths.js` when installed, so the package root is two levels up
 * either way. OLIGOTRACK_REFERENCE_DIR overrides it (tests, site-specific curated copies).
 */
export function referenceDir(): string {
  const override = process.env.OLIGOTRACK_REFERENCE_DIR;
  if (override) return resolve(override);
  const here = dirname(fileURLToPath(import.meta.url));
  const candidate = resolve(here, '..', '..', 'reference');
  if (!existsSync(candidate)) throw new Error(`bundled reference directory not found at ${candidate}`);
  return candidate;
}

export function referencePath(...parts: string[]): string {
  return join(referenceDir(), ...parts);
}
