import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('CLI conventions', () => {
  it('--version prints the package version as one clean line on stdout', () => {
    const r = run('--version');
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
    expect(r.stderr).toBe('');
  });

  it('a usage error is one stderr line and exit 2, also when yargs spreads it over lines', () => {
    for (const args of [['count', '--bam', 'x.bam', '--sites', 's.tsv', '--mates', 'bogus'], ['count'], ['no-such-command']]) {
      const r = run(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(/^oligotrack( count)?: usage error: /);
    }
  });
});
