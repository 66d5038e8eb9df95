import type { Argv, Options } from 'yargs';
import { FLAG, type CountSettings } from '../count/types.js';
import { UsageError } from '../util/errors.js';
import { warn } from '../util/log.js';
import type { COUNTING_OPTIONS, CommandSpec, OptionSpec, OptionValues } from './spec.js';

/**
 * The spec → yargs (declaration and --help) and yargs → typed values, through one validator that
 * echoes the value it refuses (`--min-mapq: 'abc' is not an integer`). yargs parses with
 * `parse-numbers` off, so every value arrives as the text the user typed; the validator is the only
 * place a value is read.
 */

/** The labels --help prints after an option's description: kind, default, required. */
export function optionLabels(o: OptionSpec): string {
  const labels: string[] = [];
  if (o.kind === 'choice') labels.push(`[choices: ${o.choices!.join(', ')}${o.orNumber ? `, or a number from ${o.min} to ${o.max}` : ''}]`);
  else if (o.kind === 'integer') labels.push(o.max === undefined ? `[integer ≥ ${o.min ?? 0}]` : `[integer ${o.min}–${o.max}]`);
  else if (o.kind === 'number') labels.push(`[number${o.min !== undefined ? ` ≥ ${o.min}` : ''}]`);
  else if (o.kind === 'fraction') labels.push('[number in (0, 1)]');
  else if (o.kind !== 'boolean' && o.kind !== 'list') labels.push(`[${o.kind}]`);
  if (o.required) labels.push('[required]');
  if (o.defaultText !== undefined) labels.push(`[default: ${o.defaultText}]`);
  else if (o.default !== undefined && o.default !== false) labels.push(`[default: ${String(o.default)}]`);
  return labels.join(' ');
}

function yargsOption(o: OptionSpec, hidden = false): Options {
  const labels = optionLabels(o);
  return {
    describe: hidden ? undefined : labels ? `${o.describe} ${labels}` : o.describe,
    hidden,
    ...(o.kind === 'boolean'
      ? { type: 'boolean' as const }
      : o.kind === 'list' && !o.onePerFlag
        ? { type: 'string' as const, array: true }
        : { requiresArg: true }),
  };
}

/** Declares a command's options to yargs (defaults and checks stay with the validator). */
export function declareOptions(y: Argv, spec: CommandSpec): Argv {
  let out = y.parserConfiguration({ 'parse-numbers': false, 'parse-positional-numbers': false });
  for (const o of spec.options) {
    if (o.positional) {
      out = out.positional(o.name, { describe: `${o.describe} ${optionLabels(o)}`.trim(), type: 'string', array: o.kind === 'list' });
      continue;
    }
    out = out.option(o.name, yargsOption(o));
    for (const old of o.deprecated ?? []) out = out.option(old.name, yargsOption({ ...o, name: old.name }, true));
  }
  for (const [command, meaning] of spec.examples ?? []) out = out.example(command, meaning);
  return out;
}

/** samtools' flag names (`samtools flags`), for `--exclude-flags UNMAP,DUP`. */
const FLAG_NAMES: Record<string, number> = {
  PAIRED: FLAG.PAIRED,
  PROPER_PAIR: FLAG.PROPER_PAIR,
  UNMAP: FLAG.UNMAPPED,
  MUNMAP: FLAG.MATE_UNMAPPED,
  REVERSE: FLAG.REVERSE,
  MREVERSE: FLAG.MATE_REVERSE,
  READ1: FLAG.READ1,
  READ2: FLAG.READ2,
  SECONDARY: FLAG.SECONDARY,
  QCFAIL: FLAG.QCFAIL,
  DUP: FLAG.DUPLICATE,
  SUPPLEMENTARY: FLAG.SUPPLEMENTARY,
};

/** `0xF04`, `3844`, `0` or `UNMAP,SECONDARY,...` → the flag mask (0..0xFFF); null when it is not one. */
export function parseFlagMask(text: string): number | null {
  const t = text.trim();
  let mask = 0;
  if (/^0x[0-9a-f]+$/i.test(t)) mask = parseInt(t.slice(2), 16);
  else if (/^\d+$/.test(t)) mask = Number(t);
  else {
    for (const name of t.split(',')) {
      const bit = FLAG_NAMES[name.trim().toUpperCase()];
      if (bit === undefined) return null;
      mask |= bit;
    }
  }
  return mask >= 0 && mask <= 0xfff ? mask : null;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * The one validator: a raw value (the text yargs passed on, or the spec's default) → the typed
 * value, or a usage error that names the option and echoes what was given.
 */
export function readOptionValue(o: OptionSpec, raw: unknown): unknown {
  const flag = `--${o.name}`;
  if (o.kind === 'boolean') {
    if (typeof raw !== 'boolean') throw new UsageError(`${flag} takes no value (got '${String(raw)}')`);
    return raw;
  }
  if (o.kind === 'list') {
    const items = (Array.isArray(raw) ? raw : [raw]).map(String);
    const empty = items.find((v) => v.trim() === '');
    if (empty !== undefined) throw new UsageError(`${flag}: an empty value`);
    return items;
  }
  if (Array.isArray(raw))
    throw new UsageError(`${flag} is given ${raw.length} times (${raw.map((v) => `'${String(v)}'`).join(', ')}); give it once`);
  if (typeof raw === 'boolean') throw new UsageError(`${flag} needs a value`);
  const text = String(raw);
  const given = `${flag}: '${text}'`;
  switch (o.kind) {
    case 'string':
    case 'path':
      if (text === '') throw new UsageError(`${flag}: an empty value`);
      return text;
    case 'integer': {
      if (!/^[+-]?\d+$/.test(text.trim())) throw new UsageError(`${given} is not an integer`);
      return inRange(o, Number(text), given);
    }
    case 'number': {
      if (!NUMBER.test(text.trim())) throw new UsageError(`${given} is not a number`);
      return inRange(o, Number(text), given);
    }
    case 'fraction': {
      const x = Number(text);
      if (!NUMBER.test(text.trim())) throw new UsageError(`${given} is not a number`);
      if (!(x > 0 && x < 1)) throw new UsageError(`${given} is not between 0 and 1 (exclusive)`);
      return x;
    }
    case 'choice': {
      if (o.choices!.includes(text)) return text;
      if (o.orNumber && NUMBER.test(text.trim())) return inRange(o, Number(text), given);
      throw new UsageError(`${given} is not one of ${o.choices!.join(', ')}${o.orNumber ? `, or a number from ${o.min} to ${o.max}` : ''}`);
    }
    case 'flags': {
      const mask = parseFlagMask(text);
      if (mask === null)
        throw new UsageError(`${given} is not a SAM flag mask (a number from 0 to 0xFFF, or names: ${Object.keys(FLAG_NAMES).join(',')})`);
      return mask;
    }
  }
}

function inRange(o: OptionSpec, x: number, given: string): number {
  if ((o.min !== undefined && x < o.min) || (o.max !== undefined && x > o.max)) {
    const range = o.max === undefined ? `at least ${o.min}` : o.min === undefined ? `at most ${o.max}` : `from ${o.min} to ${o.max}`;
    throw new UsageError(`${given} is out of range (${range})`);
  }
  return x;
}

/** What a command's handler receives: the typed values, and which options the user gave. */
export interface ReadOptions<T extends readonly OptionSpec[]> {
  values: OptionValues<T>;
  /** Options given on the command line (by any spelling), as opposed to defaulted. */
  given: ReadonlySet<string>;
}

/**
 * yargs' parsed arguments → the validated values of every option of `spec`. An old spelling is
 * mapped to its new name with a deprecation line on stderr; both spellings at once are refused.
 */
export function readOptions<T extends readonly OptionSpec[]>(spec: { readonly options: T }, args: Record<string, unknown>): ReadOptions<T> {
  const values: Record<string, unknown> = {};
  const given = new Set<string>();
  for (const o of spec.options) {
    let raw = args[o.name];
    for (const old of o.deprecated ?? []) {
      const oldRaw = args[old.name];
      if (oldRaw === undefined) continue;
      if (raw !== undefined) throw new UsageError(`--${old.name} is the old spelling of --${o.name}: give one of them`);
      warn(
        `--${old.name} is deprecated and will be removed in the next release: use ${old.invert ? `--${o.name} (the opposite: --no-${old.name} is --${o.name})` : `--${o.name}`}`,
      );
      raw = old.invert ? !oldRaw : oldRaw;
    }
    if (raw === undefined) {
      if (o.required) throw new UsageError(`--${o.name} is required`);
      values[o.name] =
        o.default === undefined ? (o.kind === 'boolean' ? false : o.kind === 'list' ? [] : undefined) : readOptionValue(o, o.default);
      continue;
    }
    given.add(o.name);
    values[o.name] = readOptionValue(o, raw);
    if (o.required && o.kind === 'list' && (values[o.name] as string[]).length === 0)
      throw new UsageError(`--${o.name} needs at least one value`);
  }
  return { values: values as OptionValues<T>, given };
}

/** The shared counting options → the engine's settings. */
export function countSettingsFrom(v: OptionValues<typeof COUNTING_OPTIONS>): CountSettings {
  return {
    minMapq: v['min-mapq'],
    minBaseq: v['min-baseq'],
    mates: v.mates,
    excludeFlags: v['exclude-flags'],
    umi: v.umi,
    umiSource: v['umi-source'],
    keepSingletons: !v['drop-singletons'],
  };
}
