import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Tests that need an external program (samtools, bcftools, chromium ...) skip on a developer
 * machine without it, but in CI (CI=true) a missing program is a failure, never a silent skip.
 */
export function hasTool(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/** Returns true when the tools are present; throws in CI when they are missing. */
export function requireTools(...tools: string[]): boolean {
  const missing = tools.filter((t) => !hasTool(t));
  if (missing.length === 0) return true;
  if (IN_CI) throw new Error(`CI requires ${missing.join(', ')} but it is not installed`);
  return false;
}

export const HTSLIB_TEST_DIR = '/usr/share/htslib-test/test';

export function requireHtslibTest(): boolean {
  if (existsSync(HTSLIB_TEST_DIR)) return true;
  if (IN_CI) throw new Error(`CI requires htslib-test files at ${HTSLIB_TEST_DIR}`);
  return false;
}
