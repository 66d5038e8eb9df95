import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { isGroup } from '../../src/cli/suggest.js';
import { declareOptions } from '../../src/cli/options.js';
import { loadCommands } from '../../src/cli/commands.js';
import { plainArguments } from '../../src/cli/plain-arguments.js';
import type { CommandSpec } from '../../src/cli/spec.js';
import { VERSION } from '../../src/version.js';

/**
 * main.ts hands a plain command line to the handler without yargs. These tests hold that path to
 * what yargs itself passes the handler: for every command, on generated command lines mixing
 * plain options with the spellings yargs treats specially, plainArguments either declines
 * (yargs then parses) or gives the same value for every option name the handler reads.
 */

const trees = await loadCommands();
const specs: CommandSpec[] = trees.flatMap((t) => (isGroup(t.spec) ? [...t.spec.subcommands] : [t.spec]));

/** What yargs (configured as main.ts configures it) passes the command's handler, or its usage error. */
function viaYargs(spec: CommandSpec, tokens: readonly string[]): { args?: Record<string, unknown>; error?: string } {
  const words = spec.name.split(' ');
  let captured: Record<string, unknown> | undefined;
  let error: string | undefined;
  const leaf = {
    command: spec.command,
    describe: spec.describe,
    builder: (y: never) => declareOptions(y, spec),
    handler: (a: Record<string, unknown>) => void (captured = a),
  };
  const module =
    words.length === 1
      ? leaf
      : { command: words[0], describe: '', builder: (y: ReturnType<typeof yargs>) => y.command(leaf as never), handler: () => {} };
  yargs([...words, ...tokens])
    .scriptName('oligotrack')
    .command(module as never)
    .strict()
    .version(VERSION)
    .help()
    .exitProcess(false)
    .fail((msg, err) => {
      error = err ? String(err) : msg;
    })
    .parse();
  return { args: error === undefined ? captured : undefined, error };
}

/** The names the handler reads (readOptions): each option's name and its old spellings. */
function readNames(spec: CommandSpec): string[] {
  return spec.options.flatMap((o) => [o.name, ...(o.deprecated ?? []).map((d) => d.name)]);
}

function picked(args: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.filter((n) => args[n] !== undefined).map((n) => [n, args[n]]));
}

const VALUES = [
  'x.bam',
  'out.tsv',
  '-',
  '',
  '5',
  '0.01',
  '-3',
  "'quoted'",
  '"q"',
  'a b',
  'true',
  'false',
  '--',
  '0xF04',
  'a=b',
  'panel:breast',
  '-h',
];

function commandLine(spec: CommandSpec): fc.Arbitrary<string[]> {
  const names = readNames(spec).filter((n) => !spec.options.find((o) => o.name === n)?.positional);
  const camel = names.map((n) => n.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()));
  const flag = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...names).map((n) => `--${n}`) },
    { weight: 1, arbitrary: fc.constantFrom(...camel, ...names.map((n) => `no-${n}`), 'help', 'version', 'nonsense').map((n) => `--${n}`) },
    { weight: 1, arbitrary: fc.constantFrom('-h', '--', 'word') },
  );
  const withValue = fc
    .tuple(flag, fc.array(fc.constantFrom(...VALUES), { maxLength: 2 }), fc.boolean())
    .map(([f, values, joined]) =>
      joined && values.length > 0 && f.startsWith('--') ? [`${f}=${values[0]}`, ...values.slice(1)] : [f, ...values],
    );
  return fc.array(withValue, { maxLength: 6 }).map((parts) => parts.flat());
}

describe('plainArguments', () => {
  it('takes the benchmark command line and declines help, --version and positional words', () => {
    const count = specs.find((s) => s.name === 'count')!;
    expect(plainArguments(count, ['--bam', 'deep.bam', '--sites', 's.tsv', '--threads', '1', '--out', '-'])).toEqual({
      bam: 'deep.bam',
      sites: ['s.tsv'],
      threads: '1',
      out: '-',
    });
    expect(plainArguments(count, ['--bam', 'x.bam', '--help'])).toBeUndefined();
    expect(plainArguments(count, ['--version'])).toBeUndefined();
    expect(plainArguments(count, ['--bam', 'x.bam', 'stray'])).toBeUndefined();
    expect(plainArguments(count, ['--umi', 'false'])).toBeUndefined();
    expect(plainArguments(count, ['--minMapq', '5'])).toBeUndefined();
    const init = specs.find((s) => s.options.some((o) => o.positional))!;
    expect(plainArguments(init, [])).toBeUndefined();
  });

  it('gives what yargs gives the handler, on generated command lines of every command', () => {
    let taken = 0;
    // A command with a positional argument is always left to yargs (checked above).
    for (const spec of specs.filter((s) => s.options.length > 0 && !s.options.some((o) => o.positional))) {
      const names = readNames(spec);
      fc.assert(
        fc.property(commandLine(spec), (tokens) => {
          const plain = plainArguments(spec, tokens);
          if (plain === undefined) return;
          taken++;
          const y = viaYargs(spec, tokens);
          expect(y.error, `${spec.name} ${tokens.join(' ')}`).toBeUndefined();
          expect(picked(plain, names), `${spec.name} ${tokens.join(' ')}`).toEqual(picked(y.args!, names));
        }),
        { numRuns: 150, seed: 16 },
      );
    }
    // The property says nothing unless the plain path is taken often.
    expect(taken).toBeGreaterThan(200);
  });
});
