import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';

/**
 * `npm pack` -> `npm install` of the tarball into an empty project -> run it.
 *
 * The install is `--prefer-offline`: the dependencies' tarballs come from the npm cache that
 * `npm ci` filled, their registry metadata (which `npm ci` never caches, so a pure `--offline`
 * install fails on a fresh machine) from the registry. The installed direct dependencies are then
 * checked against the exact versions the tarball's package.json pins.
 *
 * Two shortcuts, both about time on 2 shared cores, neither about oligotrack's own files:
 * - `npm pack --ignore-scripts`: the `prepare` build already ran (npm ci); rebuilding dist/ here
 *   would rewrite it under the other test files that run the CLI from dist/ at the same moment.
 * - `npm install --ignore-scripts`, then the repository's compiled better-sqlite3 addon (the same
 *   version, same Node ABI) is copied in: without network its install script compiles SQLite from
 *   source, ~2 CPU-minutes (measured: 5 min 22 s wall on this machine under load).
 */
const REPO = fileURLToPath(new URL('../..', import.meta.url));
let work: string;
let tarball: string;
let project: string;
let bin: string;

function run(cmd: string, args: string[], cwd: string) {
  return spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, OLIGOTRACK_QUIET: '1', npm_config_audit: 'false', npm_config_fund: 'false' },
  });
}

beforeAll(() => {
  for (const built of ['dist/cli/main.js', 'dist/index.js', 'native/build/scan.wasm']) {
    if (!existsSync(join(REPO, built))) throw new Error(`${built} is missing: run npm run build first`);
  }
  work = mkdtempSync(join(tmpdir(), 'oligotrack-pack-'));
  const pack = run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], REPO);
  if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  tarball = join(
    work,
    readdirSync(work).find((f) => f.endsWith('.tgz'))!,
  );
  project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{"name":"consumer","version":"1.0.0","private":true,"type":"module"}\n');
  const install = run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', tarball], project);
  if (install.status !== 0) throw new Error(`npm install of the tarball failed: ${install.stderr}`);
  const addon = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
  mkdirSync(join(project, 'node_modules/better-sqlite3/build/Release'), { recursive: true });
  copyFileSync(join(REPO, addon), join(project, addon));
  bin = join(project, 'node_modules/.bin/oligotrack');
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('holds the built CLI, library types and WASM, and no sources or tests', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    for (const f of [
      'package/package.json',
      'package/dist/cli/main.js',
      'package/dist/index.js',
      'package/dist/index.d.ts',
      'package/native/build/scan.wasm',
    ]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.startsWith('package/tests/') || f.startsWith('package/src/'))).toEqual([]);
    const wasm = readFileSync(join(project, 'node_modules/oligotrack/native/build/scan.wasm'));
    expect(wasm.subarray(0, 4)).toEqual(Buffer.from([0x00, 0x61, 0x73, 0x6d])); // \0asm
    expect(wasm.equals(readFileSync(join(REPO, 'native/build/scan.wasm')))).toBe(true);
  });

  it('installs the exact dependency versions the package pins', () => {
    const pinned = JSON.parse(readFileSync(join(project, 'node_modules/oligotrack/package.json'), 'utf8')).dependencies as Record<
      string,
      string
    >;
    expect(Object.keys(pinned).length).toBeGreaterThan(0);
    for (const [name, version] of Object.entries(pinned)) {
      const installed = JSON.parse(readFileSync(join(project, 'node_modules', name, 'package.json'), 'utf8')).version;
      expect(`${name}@${installed}`).toBe(`${name}@${version}`);
    }
  });

  it('installs and `oligotrack --version` prints one clean line', () => {
    const r = run(bin, ['--version'], project);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, `${VERSION}\n`, '']);
    const npx = run('npx', ['--offline', 'oligotrack', '--version'], project);
    expect([npx.status, npx.stdout]).toEqual([0, `${VERSION}\n`]);
  });

  it('the installed store works (native SQLite addon)', () => {
    const store = join(project, 'cohort.sqlite');
    expect(run(bin, ['store', 'init', store], project).status).toBe(0);
    const list = run(bin, ['store', 'list', '--store', store], project);
    expect([list.status, list.stdout]).toEqual([0, 'sample\tcurrent_version\tversions\tbuild\tn_sites\thas_summary\tbam_sha256\n']);
  });

  it('`oligotrack demo` runs from the installed package and writes the report', () => {
    const out = join(project, 'demo');
    const r = run(bin, ['demo', '--out-dir', out, '--threads', '2'], project);
    expect(r.status, r.stderr).toBe(0);
    const index = join(out, 'report/index.html');
    expect(r.stdout).toBe(`${index}\n`);
    expect(readFileSync(index, 'utf8')).toMatch(/^<!DOCTYPE html>/);
    // One classification row per imaging assessment of the bundled demo (counted from its CSV).
    const assessments = readFileSync(join(REPO, 'test-data/demo/imaging.csv'), 'utf8').trim().split('\n').length - 1;
    expect(readFileSync(join(out, 'classification.tsv'), 'utf8').trim().split('\n')).toHaveLength(1 + assessments);
  }, 300_000);

  it("`import { countSites } from 'oligotrack'` type-checks and runs", () => {
    writeFileSync(
      join(project, 'use.ts'),
      [
        "import { countSites, openStore } from 'oligotrack';",
        "import type { CountResult, Site } from 'oligotrack';",
        'const count: typeof countSites = countSites;',
        'const sites: Site[] = [];',
        'export type R = CountResult;',
        'console.log(typeof count, typeof openStore, sites.length);',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          outDir: 'out',
          types: [],
          skipLibCheck: true,
        },
        files: ['use.ts'],
      }),
    );
    const tsc = run(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], project);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    const r = run(process.execPath, ['out/use.js'], project);
    expect([r.status, r.stdout]).toEqual([0, 'function function 0\n']);
  });
});
