import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FAILURES, runFuzz, tally } from '../../src/bench/fuzz-run.js';
import { fuzzTargets } from '../../src/bench/fuzz-targets.js';

/**
 * The in-suite fuzz run: seeded mutants of small BAIs, CSIs, BAM headers, VCFs (plain and
 * bgzipped), panel TSVs and the samplesheet, clinical and imaging CSVs, each read by its reader in
 * a worker with a deadline. Every outcome must be a success or a clean error (a one-line
 * UserError naming the file); a messy or internal error, a wrong success, a hang or a crash fails.
 * `npm run fuzz` runs thousands of cases and the CLI (docs/methods/robustness.md).
 */

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('in-process fuzz', () => {
  it('360 seeded mutants over every reader: successes and clean errors only', async () => {
    // The deadline is generous for a loaded CI machine: a bounded reader answers in milliseconds.
    const records = await runFuzz({ seed: 20_260_114, cases: 360, dir, timeoutMs: 30_000 });
    const failures = records
      .filter((r) => FAILURES.includes(r.outcome))
      .map(
        (r) =>
          `${r.outcome} ${r.fuzzCase.target}/${r.fuzzCase.layer} case seed ${r.fuzzCase.caseSeed} [${r.fuzzCase.steps.join('+')}]: ${r.message}`,
      );
    expect(failures).toEqual([]);
    const t = tally(records);
    expect(t.success + t.clean).toBe(360);
    // Both outcomes for every target: the mutants reach past the first check.
    for (const target of fuzzTargets().map((x) => x.name)) {
      const outcomes = new Set(records.filter((r) => r.fuzzCase.target === target).map((r) => r.outcome));
      expect([...outcomes].sort(), target).toEqual(['clean', 'success']);
    }
  });
});
