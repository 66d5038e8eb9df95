/**
 * Text from users' files and arguments (a CSV cell, a path, a contig name) may hold newlines and
 * terminal control sequences; echoed raw it splits a one-line message in two, or recolours the
 * terminal. Control characters are written as escapes instead: `\n`, `\r`, `\t`, `\xNN` for the
 * other C0/C1 controls and DEL, `\uNNNN` for the Unicode line and paragraph separators. Backslashes
 * are left alone, so escaping is idempotent and an already-escaped message is unchanged.
 */
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** True when `text` has a character escapeControl would rewrite (so it would not print on one line as is). */
export function hasControl(text: string): boolean {
  CONTROL.lastIndex = 0;
  const found = CONTROL.test(text);
  CONTROL.lastIndex = 0;
  return found;
}
