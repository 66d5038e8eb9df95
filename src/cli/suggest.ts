import { distance } from 'fastest-levenshtein';
import { UsageError } from '../util/errors.js';
import { setLogCommand } from '../util/log.js';
import type { CommandGroupSpec, CommandSpec, OptionSpec } from './spec.js';

/**
 * Typos caught before yargs sees the arguments, so that `oligotrack cout` says "did you mean
 * count?" and `--site x` says "unknown option --site; did you mean --sites?" instead of yargs'
 * "Missing required argument: sites".
 */

/**
 * The known name nearest to `typed`: within one edit per three characters (at least one), or the
 * only known name `typed` begins, or the only known name `typed` extends by a word; undefined when
 * nothing is that close.
 */
export function nearest(typed: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const d = distance(typed, name);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  if (best !== undefined && bestDistance <= Math.max(1, Math.floor(typed.length / 3))) return best;
  const prefixed = known.filter((name) => typed.length >= 2 && name.startsWith(typed));
  if (prefixed.length === 1) return prefixed[0];
  // A known name with a word added (`--out-dir` where the command writes a file to `--out`).
  const extended = known.filter((name) => typed.startsWith(`${name}-`));
  return extended.length === 1 ? extended[0] : undefined;
}

/** A command or subcommand word that is not one: a usage error with the nearest one. */
export function unknownCommand(typed: string, known: readonly string[], parent = ''): UsageError {
  const near = nearest(typed, known);
  const what = parent ? `${parent} command` : 'command';
  return new UsageError(`unknown ${what} '${typed}'; ${near ? `did you mean ${near}?` : `${what}s: ${known.join(', ')}`}`);
}

/** Names yargs accepts on every command. */
const BUILT_IN = ['help', 'version'];

const camel = (name: string) => name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Every spelling yargs would accept for the options (`--no-x` for booleans, camelCase forms, old spellings). */
function acceptedNames(options: readonly OptionSpec[]): Set<string> {
  const names = new Set<string>(BUILT_IN);
  for (const o of options) {
    if (o.positional) continue;
    for (const name of [o.name, ...(o.deprecated ?? []).map((d) => d.name)]) {
      names.add(name);
      names.add(camel(name));
      if (o.kind === 'boolean') names.add(`no-${name}`);
    }
  }
  return names;
}

/**
 * Throws a usage error for the first `--name` in `argv` (the arguments after the command words)
 * that the command does not take, with the nearest option it does take.
 */
export function checkOptionNames(spec: CommandSpec, argv: readonly string[]): void {
  const accepted = acceptedNames(spec.options);
  // Old spellings are matched too, but the suggestion is always the current name (`--outt` → `--out-dir` where `--out` is its old spelling).
  const currentName = new Map<string, string>();
  for (const o of spec.options) {
    if (o.positional) continue;
    currentName.set(o.name, o.name);
    for (const d of o.deprecated ?? []) currentName.set(d.name, o.name);
  }
  const spellings = [...currentName.keys()];
  for (const token of argv) {
    if (token === '--') return; // the rest are values
    if (!token.startsWith('--') || token.length === 2) continue;
    const name = token.slice(2).split('=')[0];
    if (accepted.has(name)) continue;
    const matched = nearest(name, spellings);
    const near = matched === undefined ? undefined : currentName.get(matched);
    throw new UsageError(`unknown option --${name}; ${near ? `did you mean --${near}?` : `see oligotrack ${spec.name} --help`}`);
  }
}

/** A top-level entry: one command, or a group of subcommands. */
export type CommandTree = CommandSpec | CommandGroupSpec;

export function isGroup(spec: CommandTree): spec is CommandGroupSpec {
  return 'subcommands' in spec;
}

/**
 * Checks the command words and option names of `argv` against the specs; returns nothing when the
 * arguments name known things (yargs then parses them), and leaves `--help`, `--version` and a bare
 * group name to yargs.
 */
export function checkArguments(argv: readonly string[], specs: readonly CommandTree[]): void {
  const first = argv[0];
  if (first === undefined || first.startsWith('-')) return;
  const top = specs.find((s) => s.name === first);
  if (!top)
    throw unknownCommand(
      first,
      specs.map((s) => s.name),
    );
  setLogCommand(top.name);
  if (!isGroup(top)) return checkOptionNames(top, argv.slice(1));
  const second = argv[1];
  if (second === undefined || second.startsWith('-')) return;
  const words = top.subcommands.map((c) => c.name.split(' ').slice(1).join(' '));
  const index = words.indexOf(second);
  if (index < 0) throw unknownCommand(second, words, top.name);
  setLogCommand(top.subcommands[index].name);
  checkOptionNames(top.subcommands[index], argv.slice(2));
}
