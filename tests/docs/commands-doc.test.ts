import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The manual pages in docs/commands/ are checked against whatever the built CLI prints for
// `--help` (the global setup rebuilds dist/ first), so a change to the option spec shows up here
// as a list of options to add to or remove from a page.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(ROOT, 'dist/cli/main.js');
const GLOBAL_OPTIONS = new Set(['--help', '--version']);

function help(args: string[]): string {
  return execFileSync(process.execPath, [CLI, ...args, '--help'], { encoding: 'utf8' });
}

/** Lines of one titled block of yargs help ("Commands:", "Options:"), up to the next title. */
function helpBlock(text: string, title: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(`${title}:`);
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && /^\S.*:$/.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

function helpOptions(text: string): string[] {
  return helpBlock(text, 'Options')
    .map((l) => /^ {2}(--[\w-]+)/.exec(l)?.[1])
    .filter((o): o is string => o !== undefined && !GLOBAL_OPTIONS.has(o))
    .sort();
}

function helpSubcommands(command: string, text: string): string[] {
  return helpBlock(text, 'Commands')
    .map((l) => new RegExp(`^ {2}oligotrack ${command} (\\S+)`).exec(l)?.[1])
    .filter((s): s is string => s !== undefined);
}

/** A `## NAME` section of a page, up to the next `## ` heading. */
function section(doc: string, name: string): string | undefined {
  const m = new RegExp(`^## ${name}\\n([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm').exec(doc);
  return m?.[1];
}

/** Options documented in an OPTIONS table: one per row, the first cell starting with `--name`. */
function docOptions(text: string): string[] {
  return text
    .split('\n')
    .map((l) => /^\|\s*`(--[\w-]+)[^`]*`\s*\|/.exec(l)?.[1])
    .filter((o): o is string => o !== undefined)
    .sort();
}

/** The `### ... <sub>` subsection of an OPTIONS section (a command with subcommands). */
function subsection(text: string, sub: string): string | undefined {
  const parts = text.split(/^(?=### )/m);
  return parts.find((p) => new RegExp(`^### .*\\b${sub}\\b`).test(p));
}

const top = help([]);
const commands = helpBlock(top, 'Commands')
  .map((l) => /^ {2}oligotrack (\S+)/.exec(l)?.[1])
  .filter((c): c is string => c !== undefined);

describe('docs/commands agree with --help', () => {
  it('the CLI lists its commands', () => {
    expect(commands).toContain('count');
    expect(commands.length).toBeGreaterThanOrEqual(10);
  });

  it('every doc page in docs/commands/ is a command the CLI has', () => {
    const pages = readdirSync(join(ROOT, 'docs/commands')).filter((f) => f.endsWith('.md'));
    expect(pages.map((f) => f.replace(/\.md$/, '')).sort()).toEqual([...commands].sort());
  });

  for (const command of commands) {
    describe(command, () => {
      const path = join(ROOT, 'docs/commands', `${command}.md`);
      it('has a man page with every section', () => {
        expect(existsSync(path), `docs/commands/${command}.md is missing`).toBe(true);
        const doc = readFileSync(path, 'utf8');
        for (const s of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'OUTPUTS', 'EXIT STATUS', 'EXAMPLES']) {
          expect(section(doc, s), `${command}.md lacks ## ${s}`).toBeDefined();
        }
      });

      it('documents exactly the options --help prints', () => {
        const doc = readFileSync(path, 'utf8');
        const options = section(doc, 'OPTIONS') ?? '';
        const text = help([command]);
        const subs = helpSubcommands(command, text);
        const targets =
          subs.length === 0
            ? [{ args: [command], docText: options }]
            : subs.map((sub) => ({ args: [command, sub], docText: subsection(options, sub) }));
        for (const { args, docText } of targets) {
          const label = args.join(' ');
          expect(docText, `OPTIONS of ${command}.md has no subsection for '${label}'`).toBeDefined();
          // Same list both ways: a missing row and a row for an option the CLI no longer has.
          expect(docOptions(docText ?? ''), `options of '${label}' in docs/commands/${command}.md vs --help`).toEqual(
            helpOptions(help(args)),
          );
        }
      });
    });
  }
});

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? markdownFiles(p) : name.endsWith('.md') ? [p] : [];
  });
}

/** Relative link targets of inline Markdown links `[text](target)`, outside code fences and spans. */
function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((m) => m[1])
    .filter((t) => !/^[a-z][a-z0-9+.-]*:/i.test(t) && !t.startsWith('#'))
    .map((t) => decodeURIComponent(t.split('#')[0]));
}

describe('README and docs', () => {
  it('README.md is at most 200 lines', () => {
    const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    expect(lines.length).toBeLessThanOrEqual(200);
  });

  it('docs/index.md links every document under docs/', () => {
    const docs = join(ROOT, 'docs');
    const index = join(docs, 'index.md');
    const linked = new Set(relativeLinks(readFileSync(index, 'utf8')).map((t) => resolve(docs, t)));
    const unlisted = markdownFiles(docs).filter((f) => f !== index && !linked.has(f));
    expect(unlisted.map((f) => f.slice(ROOT.length + 1))).toEqual([]);
  });

  it('every relative link in README.md and docs/**/*.md names an existing file', () => {
    const files = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs'))];
    const broken: string[] = [];
    for (const file of files) {
      for (const target of relativeLinks(readFileSync(file, 'utf8'))) {
        if (!existsSync(resolve(dirname(file), target))) broken.push(`${file.slice(ROOT.length + 1)} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
