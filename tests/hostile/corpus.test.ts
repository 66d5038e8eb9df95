import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaseRunner, writeFuzzBam } from '../../src/bench/fuzz-run.js';
import type { TargetName } from '../../src/bench/fuzz-targets.js';

/**
 * Regression: every input that once made a reader fail is replayed through the fuzz worker (a
 * thread with a deadline, so a hang or a crash is seen as such) and must give the outcome and
 * message its fix gave (test-data/fuzz-corpus/expected.tsv).
 */

const CORPUS = 'test-data/fuzz-corpus';
const dir = mkdtempSync(join(tmpdir(), 'oligotrack-corpus-'));
const runner = new CaseRunner(60_000);
afterAll(async () => {
  await runner.close();
  rmSync(dir, { recursive: true, force: true });
});

const expected = readFileSync(join(CORPUS, 'expected.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [file, outcome, message] = line.split('\t');
    return { file, outcome, message: message.replace(/\\n/g, '\\n') };
  });

describe('fuzz corpus', () => {
  it('lists every corpus file in expected.tsv', () => {
    // A directory with its own manifest.json (bam-records/: records replayed through both counting
    // engines by tests/count/fuzz-corpus.test.ts) is not a target of the fuzz worker.
    const files = readdirSync(CORPUS, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !existsSync(join(CORPUS, d.name, 'manifest.json')))
      .flatMap((d) => readdirSync(join(CORPUS, d.name)).map((f) => `${d.name}/${f}`))
      .sort();
    expect(files).toEqual(expected.map((e) => e.file).sort());
  });

  const bamPath = writeFuzzBam(dir);
  for (const e of expected) {
    it(e.file, async () => {
      const path = join(CORPUS, e.file);
      // Twice in the same worker: an error event that fires after a case has answered shows up
      // as a crash of the next one.
      await runner.run(e.file.split('/')[0] as TargetName, path, bamPath);
      const result = await runner.run(e.file.split('/')[0] as TargetName, path, bamPath);
      expect(result.outcome, result.message).toBe(e.outcome);
      if (e.message) expect(result.message).toContain(e.message);
      if (result.message) expect(result.message.startsWith(`${path}`)).toBe(true);
    });
  }
});
