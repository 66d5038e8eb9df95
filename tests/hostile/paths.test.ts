import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { writeReportDir } from '../../src/report/write-report.js';
import { exportCountFiles } from '../../src/store/export-files.js';
import { UsageError, UserError } from '../../src/util/errors.js';
import { checkPathId, idFileInside, PATH_ID_PATTERN, pathIdProblem, pathInside } from '../../src/util/safe-path.js';
import { idSchema } from '../../src/io/csv-schema.js';
import { writeBam } from '../../src/io/bam-writer.js';
import { countDocumentText } from '../store/fixtures.js';
import { runCli } from '../store/cli-helpers.js';

/**
 * Every name that becomes a path follows one rule and every output path stays under its output
 * directory: `..`, absolute paths, separators, NUL and newline bytes, leading dots, and symlinks
 * planted inside the output directory.
 */

const dir = mkdtempSync(join(tmpdir(), 'oligotrack-paths-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every file under `root`, relative, symlinks included. */
function tree(root: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...tree(join(root, e.name)).map((f) => `${e.name}/${f}`));
    else out.push(e.name);
  }
  return out.sort();
}

const HOSTILE = [
  '../../../../tmp/pwned',
  '..',
  '.',
  '../x',
  '/tmp/pwned',
  'a/b',
  'a\\b',
  'S1\n',
  'S1\nS2',
  'S1\0',
  '.hidden',
  'S 1',
  '',
  '-S1',
  '_S1',
  'x'.repeat(201),
  '\u001b[31mS1',
];

describe('the file-name ID rule', () => {
  it('accepts samplesheet-style IDs and rejects everything that walks, hides or breaks a line', () => {
    for (const ok of ['S1', 'PT01-D1', 'DEMO-01-D1.normal', 'a.b_c-d', '9', 'x'.repeat(200)]) expect(pathIdProblem(ok), ok).toBeNull();
    for (const bad of HOSTILE) expect(pathIdProblem(bad), JSON.stringify(bad)).not.toBeNull();
  });

  it('is the samplesheet rule (zod idSchema) and the Snakemake schema pattern', () => {
    for (const id of ['S1', ...HOSTILE]) expect(idSchema.safeParse(id).success, JSON.stringify(id)).toBe(pathIdProblem(id) === null);
    const schema = parseYaml(readFileSync('pipelines/snakemake/workflow/schemas/samples.schema.yaml', 'utf8')) as {
      properties: Record<string, { pattern?: string; maxLength?: number }>;
    };
    for (const column of ['patient', 'sample']) {
      expect(schema.properties[column].pattern).toBe(PATH_ID_PATTERN.source);
      expect(schema.properties[column].maxLength).toBe(200);
    }
  });

  it('reports a bad command-line name as a usage error on one line, control bytes escaped', () => {
    expect(() => checkPathId('../../x', '--sample', 'usage')).toThrow(UsageError);
    try {
      checkPathId('S1\nS2', '--sample', 'usage');
    } catch (e) {
      expect((e as Error).message).toBe(`--sample 'S1\\nS2' must not contain spaces`);
    }
  });
});

describe('paths proven inside their output directory', () => {
  it('refuses components that walk or carry control bytes', () => {
    const out = join(dir, 'out1');
    for (const name of ['..', '.', '../x.json', 'a/b.json', '/etc/passwd', 'x\0y', 'x\ny', '']) {
      expect(() => pathInside(out, name), JSON.stringify(name)).toThrow(UserError);
    }
    expect(pathInside(out, 'S1.count.json')).toBe(join(out, 'S1.count.json'));
    expect(() => pathInside(`${out}\0`, 'x')).toThrow(/NUL/);
  });

  it('refuses a symlink inside the directory that leads out, dangling or not, and a symlinked subdirectory', () => {
    const out = join(dir, 'out2');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(dir, 'victim.txt'), 'ORIGINAL');
    symlinkSync(join(dir, 'victim.txt'), join(out, 'S1.count.json'));
    symlinkSync(join(dir, 'not-yet-there.txt'), join(out, 'S2.count.json'));
    symlinkSync(dir, join(out, 'sub'));
    expect(() => pathInside(out, 'S1.count.json')).toThrow(/refusing to write outside/);
    expect(() => pathInside(out, 'S2.count.json')).toThrow(/refusing to write outside/);
    expect(() => pathInside(out, 'sub', 'S3.json')).toThrow(/refusing to write outside/);
    // A symlink that stays inside is fine (the atomic rename replaces it).
    writeFileSync(join(out, 'real.json'), '{}');
    symlinkSync(join(out, 'real.json'), join(out, 'S4.count.json'));
    expect(pathInside(out, 'S4.count.json')).toBe(join(out, 'S4.count.json'));
    // The output directory itself may be a symlink: its target is where the files go.
    const real = join(dir, 'real-out');
    mkdirSync(real);
    symlinkSync(real, join(dir, 'linked-out'));
    expect(pathInside(join(dir, 'linked-out'), 'S1.json')).toBe(join(dir, 'linked-out', 'S1.json'));
  });

  it('idFileInside checks the ID by the rule, then the path', () => {
    expect(() => idFileInside(join(dir, 'o'), '../../../../tmp/pwned', '.json')).toThrow(
      /sample '..\/..\/..\/..\/tmp\/pwned' must be letters/,
    );
    expect(idFileInside(join(dir, 'o'), 'S1.normal', '.json')).toBe(join(dir, 'o', 'S1.normal.json'));
  });
});

describe('no name escapes (property)', () => {
  it('any string as an ID: a UserError, or a path directly inside the directory whose name follows the rule', () => {
    const root = join(dir, 'prop');
    mkdirSync(root, { recursive: true });
    symlinkSync(tmpdir(), join(root, 'out-link'));
    const fragments = fc.constantFrom(
      '..',
      '.',
      '/',
      '\\',
      '\0',
      '\n',
      '\r',
      'out-link',
      'tmp',
      'S1',
      '-',
      '_',
      '~',
      '%2e',
      '\u2028',
      ' ',
      'a'.repeat(120),
    );
    const names = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.array(fragments, { maxLength: 8 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(names, fc.constantFrom('.json', '.count.json', '.normal.json'), (name, suffix) => {
        let path: string;
        try {
          path = idFileInside(root, name, suffix);
        } catch (e) {
          expect(e).toBeInstanceOf(UserError);
          expect((e as Error).message).not.toMatch(/[\n\r]/);
          return;
        }
        expect(pathIdProblem(name)).toBeNull();
        expect(dirname(resolve(path))).toBe(resolve(root));
      }),
      { numRuns: 2000, seed: 180 },
    );
  });
});

describe('store export never writes outside --out-dir', () => {
  const stored = (sample: string) => ({ sample, countJson: `{"sample":${JSON.stringify(sample)}}\n`, summaryJson: null });

  it('rejects a traversal name before writing anything', () => {
    const out = join(dir, 'exp1');
    expect(() => exportCountFiles(out, [stored('S1'), stored('../../../../tmp/pwned'), stored('S3')])).toThrow(/stored sample name/);
    expect(existsSync(out)).toBe(false);
  });

  it('rejects a symlink planted under a sample file name; the file it points to is untouched', () => {
    const out = join(dir, 'exp2');
    mkdirSync(out);
    writeFileSync(join(dir, 'victim2.txt'), 'ORIGINAL');
    symlinkSync(join(dir, 'victim2.txt'), join(out, 'S1.count.json'));
    expect(() => exportCountFiles(out, [stored('S1')])).toThrow(/refusing to write outside/);
    expect(readFileSync(join(dir, 'victim2.txt'), 'utf8')).toBe('ORIGINAL');
  });

  it('rejects two names that are one file on a case-insensitive file system', () => {
    expect(() => exportCountFiles(join(dir, 'exp3'), [stored('S1'), stored('s1')])).toThrow(/case-insensitive/);
  });

  it('end to end: count --sample ../../../../tmp/pwned is a usage error; a hand-made document with that name ingests but does not export', () => {
    const sandbox = join(dir, 'e2e', 'a', 'b', 'c');
    mkdirSync(sandbox, { recursive: true });
    const bam = join(sandbox, 'p.bam');
    writeBam(bam, { refs: [{ name: 'chr1', length: 10_000 }], text: '@RG\tID:a\tSM:S1' }, [], { index: false });
    writeFileSync(join(sandbox, 'sites.tsv'), 'chrom\tpos\tref\talt\nchr1\t100\tA\tC\n');
    const count = runCli(
      [
        'count',
        '--bam',
        bam,
        '--sites',
        join(sandbox, 'sites.tsv'),
        '--sample',
        '../../../../tmp/pwned',
        '--format',
        'json',
        '--out',
        join(sandbox, 'c.json'),
      ],
      sandbox,
    );
    expect(count.status).toBe(2);
    expect(count.stderr.trim().split('\n')).toHaveLength(1);
    expect(count.stderr).toMatch(/--sample '..\/..\/..\/..\/tmp\/pwned' must be letters/);
    expect(existsSync(join(sandbox, 'c.json'))).toBe(false);

    const evil = '../../../../tmp/pwned';
    writeFileSync(join(sandbox, 'doc.json'), countDocumentText({ sample: evil, bam }));
    const store = join(sandbox, 'store.sqlite');
    const ingest = runCli(['store', 'ingest', '--store', store, join(sandbox, 'doc.json')], sandbox);
    expect(ingest.status, ingest.stderr).toBe(0);
    const before = tree(join(dir, 'e2e'));
    const exp = runCli(['store', 'export', '--store', store, '--format', 'json', '--out-dir', join(sandbox, 'exp')], sandbox);
    expect(exp.status).toBe(1);
    expect(exp.stderr.trim().split('\n')).toHaveLength(1);
    expect(exp.stderr).toMatch(/stored sample name '..\/..\/..\/..\/tmp\/pwned' must be letters/);
    // Only the store's own SQLite side files may appear (a reader opens the WAL).
    expect(tree(join(dir, 'e2e')).filter((f) => !/store\.sqlite-(shm|wal)$/.test(f))).toEqual(before);
    expect(existsSync('/tmp/pwned.count.json')).toBe(false);
  });
});

describe('report and timeline file names', () => {
  it('a report never writes a patient page outside its directory or over the cohort index', async () => {
    const { reportFiles } = await import('../../src/report/write-report.js');
    const { fixturePatient } = await import('../report/fixture.js');
    expect(() => reportFiles([fixturePatient('index')])).toThrow(/overwrite the cohort index/);
    expect(() => reportFiles([fixturePatient('P1'), fixturePatient('p1')])).toThrow(/same report file name/);
    // A name the report's sanitiser cannot turn into a rule-abiding file name is refused ...
    expect(() => reportFiles([fixturePatient('../../../../tmp/pwned')])).toThrow(
      /patient '..\/..\/..\/..\/tmp\/pwned': its report file name '__/,
    );
    // ... one it can becomes a sanitised, hashed name that follows the rule, inside the directory.
    const { files } = reportFiles([fixturePatient('P1/../../x<script>')]);
    for (const name of files.keys()) expect(pathIdProblem(name.replace(/\.(json|html)$/, '')), name).toBeNull();
    const out = join(dir, 'report');
    writeReportDir(out, files);
    expect(tree(out)).toEqual([...files.keys()].sort());
  });

  it('the timeline writer refuses a patient ID that is not a file name', async () => {
    const { writeTimelineDir } = await import('../../src/timeline/write-dir.js');
    const out = join(dir, 'timeline');
    const patient = { patient: '../escape' } as unknown as Parameters<typeof writeTimelineDir>[1][number];
    expect(() => writeTimelineDir(out, [patient])).toThrow(/patient '..\/escape' must be letters/);
    expect(existsSync(join(dir, 'escape.json'))).toBe(false);
  });
});
