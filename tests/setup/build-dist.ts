import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Global setup: many test files run the compiled CLI (dist/) or load the WASM, so a stale or
 * missing build would test old code or skip silently. Rebuild when any source is newer than its
 * output; a failed build fails the whole run.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function newestMtime(dir: string, suffix: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path, suffix));
    else if (entry.name.endsWith(suffix)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function staleTs(dir: string): string | null {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const stale = staleTs(path);
      if (stale) return stale;
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      const out = join(ROOT, 'dist', relative(join(ROOT, 'src'), path).replace(/\.ts$/, '.js'));
      if (!existsSync(out) || statSync(out).mtimeMs < statSync(path).mtimeMs) return path;
    }
  }
  return null;
}

function wasmStale(): boolean {
  const wasm = join(ROOT, 'native/build/scan.wasm');
  return !existsSync(wasm) || statSync(wasm).mtimeMs < newestMtime(join(ROOT, 'native'), '.ts');
}

export default function setup(): void {
  const stale = wasmStale() ? 'native/' : staleTs(join(ROOT, 'src'));
  if (!stale) return;
  process.stderr.write(`tests: ${relative(ROOT, stale) || stale} is newer than its build: npm run build\n`);
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}
