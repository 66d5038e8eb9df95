import type { CommandSpec, OptionSpec } from './spec.js';

/**
 * A command line in its plain form read without yargs: every token an option of the command spelled
 * by its kebab-case name (`--name value`, `--name=value`, a boolean as `--name`, a list's values
 * after its name). It gives the same values yargs would pass to the handler for these options, and
 * undefined for anything else — help, --version, camelCase or `--no-` spellings, positional words,
 * a value that begins with `-` or a quote, an option given twice, `--` — which yargs then parses
 * with its own messages.
 *
 * Why: importing yargs and the help text it renders before every command handler (it caches the
 * help message, wrapping every option's description) cost ~0.2 s of CPU per run, as much as
 * counting 10 sites in an indexed BAM; pipelines start the CLI once per sample.
 * tests/cli/plain-arguments.test.ts holds the two parsers equal on generated command lines.
 */
export function plainArguments(spec: CommandSpec, tokens: readonly string[]): Record<string, unknown> | undefined {
  if (spec.options.some((o) => o.positional)) return undefined;
  const byName = new Map<string, OptionSpec>();
  for (const o of spec.options) {
    byName.set(o.name, o);
    for (const old of o.deprecated ?? []) byName.set(old.name, o);
  }
  const args: Record<string, unknown> = {};
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i++];
    if (!token.startsWith('--') || token.length === 2) return undefined;
    const eq = token.indexOf('=');
    const name = token.slice(2, eq < 0 ? undefined : eq);
    const option = byName.get(name);
    // `--no-x` would be yargs' negation of a boolean x, whatever the spec names.
    if (option === undefined || name.startsWith('no-') || name in args) return undefined;
    if (option.kind === 'boolean') {
      if (eq >= 0) return undefined;
      args[name] = true;
    } else if (option.kind === 'list' && !option.onePerFlag) {
      if (eq >= 0) return undefined;
      const values: string[] = [];
      while (i < tokens.length && !tokens[i].startsWith('-')) {
        if (!plainValue(tokens[i])) return undefined;
        values.push(tokens[i++]);
      }
      if (values.length === 0) return undefined;
      args[name] = values;
    } else {
      const value = eq >= 0 ? token.slice(eq + 1) : tokens[i++];
      if (value === undefined || !plainValue(value)) return undefined;
      args[name] = value;
    }
    // A word after an option's value would be a positional argument (or a boolean's value).
    if (i < tokens.length && !tokens[i].startsWith('--')) return undefined;
  }
  return args;
}

/** A value yargs passes on unchanged: not empty, no leading dash (but `-` itself), no leading quote (yargs-parser strips quotes from some values). */
function plainValue(value: string): boolean {
  if (value === '-') return true;
  return value !== '' && !value.startsWith('-') && !value.startsWith("'") && !value.startsWith('"');
}
