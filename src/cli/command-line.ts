/** Shell-quoted argv, so `##oligotrackCommand` can be pasted back into a shell. */
export function commandLine(argv: readonly string[] = process.argv.slice(2)): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['oligotrack', ...argv.map(quote)].join(' ');
}
