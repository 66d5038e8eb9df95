import { createHash } from 'node:crypto';
import { esc } from './escape.js';
import { REPORT_CSS } from './style.js';

/**
 * The HTML shell of every page. The Content-Security-Policy forbids every fetch (default-src
 * 'none'); a page with a script allows exactly that script by its sha256 hash, computed here from
 * the script's bytes, so the page stays byte-identical between runs (a nonce would not).
 */
export function scriptHash(script: string): string {
  return `sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}`;
}

export function page(title: string, body: string, o: { printCss?: string; script?: string } = {}): string {
  const scriptSrc = o.script ? `; script-src '${scriptHash(o.script)}'` : '';
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:${scriptSrc}">\n` +
    `<title>${esc(title)}</title>\n<style>${REPORT_CSS}</style>\n` +
    (o.printCss ? `<style>${o.printCss}</style>\n` : '') +
    `</head>\n<body>\n<main>\n${body}\n</main>\n` +
    (o.script ? `<script>${o.script}</script>\n` : '') +
    '</body>\n</html>\n'
  );
}
