import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { UsageError, UserError } from './errors.js';
import { escapeControl } from './text-escape.js';

/**
 * Names that become file names (patient and sample IDs: DIR/patients/<patient>.json, the counts
 * cache <sample>.json, `store export`'s <sample>.count.json, report pages, pipeline outputs) follow
 * one rule, the samplesheet's: letters, digits, `.`, `_`, `-`, starting with a letter or digit.
 * So no separator, no `..`, no leading dot (hidden file), no NUL or newline, no shell metacharacter,
 * and the same name on every file system. 200 characters leave room for the longest suffix
 * (`.normal.count.json`, 18) within the usual 255-byte file-name limit.
 */
export const PATH_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const PATH_ID_MAX_LENGTH = 200;

/** What is wrong with `id` as a file-name ID, or null when it follows the rule. */
export function pathIdProblem(id: string): string | null {
  if (id === '') return 'must not be empty';
  if (/\s/.test(id)) return 'must not contain spaces';
  if (!PATH_ID_PATTERN.test(id)) {
    return "must be letters, digits, '.', '_' or '-' (starting with a letter or digit; used in file names)";
  }
  if (id.length > PATH_ID_MAX_LENGTH) return `must be at most ${PATH_ID_MAX_LENGTH} characters (used in file names)`;
  return null;
}

/**
 * Returns `id` when it follows the rule; otherwise throws one line naming `what` (e.g. `--sample`,
 * `patient in patients/P1.json`): a UsageError (exit 2) for a command-line argument, else a UserError.
 */
export function checkPathId(id: string, what: string, kind: 'usage' | 'data' = 'data'): string {
  const problem = pathIdProblem(id);
  if (problem === null) return id;
  const message = `${what} '${escapeControl(id)}' ${problem}`;
  throw kind === 'usage' ? new UsageError(message) : new UserError(message);
}

/** Path components a caller may join under a root: one file name each, nothing that walks. */
function checkComponent(part: string, root: string): void {
  // eslint-disable-next-line no-control-regex
  if (part === '' || part === '.' || part === '..' || /[/\\\u0000-\u001f\u007f]/.test(part)) {
    throw new UserError(`${root}: '${escapeControl(part)}' is not a plain file name (no separators, control bytes, . or ..)`);
  }
}

/** `p` with every symlink of its existing part followed; the not-yet-existing rest appended as is. */
function realpathOfExisting(p: string): string {
  const rest: string[] = [];
  let current = resolve(p);
  for (;;) {
    try {
      return join(realpathSync(current), ...rest);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new UserError(`${p}: cannot resolve the output path (${code ?? String(e)})`);
      const parent = dirname(current);
      if (parent === current) return resolve(p);
      rest.unshift(basename(current));
      current = parent;
    }
  }
}

/** Where writing to `p` ends up: a dangling symlink at `p` is followed to the file it would create. */
function landingPath(p: string): string {
  let current = resolve(p);
  for (let hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      if (!lstatSync(current).isSymbolicLink()) break;
      link = readlinkSync(current);
    } catch {
      break; // absent: the writer creates it here
    }
    current = resolve(dirname(current), link);
  }
  return realpathOfExisting(current);
}

function isInside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel !== '' && rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel);
}

/**
 * The path of `parts` (each a single file name) under the output directory `root`, proven to stay
 * there: no component walks (`..`, separators, NUL, newline), and the path the bytes would land
 * on — after following every symlink that already exists below `root`, including one at the file
 * itself, dangling or not — is inside `root`'s own resolved path. A symlink inside the output
 * directory that leads out of it is refused rather than written through.
 */
export function pathInside(root: string, ...parts: string[]): string {
  if (root.includes('\0')) throw new UserError(`${escapeControl(root)}: an output directory name cannot contain a NUL byte`);
  for (const part of parts) checkComponent(part, root);
  const target = join(root, ...parts);
  const rootReal = realpathOfExisting(root);
  const landing = landingPath(target);
  if (!isInside(rootReal, landing)) {
    throw new UserError(
      `${target}: refusing to write outside the output directory ${root} (the path leads to ${landing} through a symlink)`,
    );
  }
  return target;
}

/**
 * `<id><suffix>` with the ID checked by the file-name rule: for a file that is read, not written
 * (an input directory may legitimately hold symlinks to files elsewhere, as CWL stages them).
 */
export function idFileName(id: string, suffix: string, what = 'sample'): string {
  return `${checkPathId(id, what)}${suffix}`;
}

/**
 * `root/<id><suffix>`: the one call for a file written under a patient's or sample's name — the ID checked
 * by the file-name rule (`what` names it in the error), the path proven inside `root`.
 */
export function idFileInside(root: string, id: string, suffix: string, what = 'sample'): string {
  return pathInside(root, `${checkPathId(id, what)}${suffix}`);
}
