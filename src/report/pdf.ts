import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '../util/errors.js';

/**
 * PDFs of the report pages through the system Chromium (Debian package `chromium`), driven over
 * the DevTools protocol on a pipe (`--remote-debugging-pipe`: no port, no network): one browser
 * for all pages, about 0.5 s per page after a 1–2 s start on a 2-core machine. Pages print with
 * their own CSS (A4, @page header and footer on every page, the rules expanded). What varies
 * between two prints (the clock in the PDF dates, DOM node numbers in the structure tags, file links)
 * is pinned or removed, so the same report from the same Chromium gives the same PDF bytes.
 */

/** The headless flags the browser tests use: no sandbox (containers), no GPU, nothing phoning home. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Chromium to print with: OLIGOTRACK_CHROMIUM, else the first of CANDIDATES on PATH. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.OLIGOTRACK_CHROMIUM;
  if (override) {
    if (executable(override)) return override;
    throw new UserError(`--pdf: OLIGOTRACK_CHROMIUM=${override} is not an executable file`);
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of CANDIDATES) if (executable(join(dir, name))) return join(dir, name);
  }
  throw new UserError(
    "--pdf needs Chromium, which was not found on PATH: install it (Debian/Ubuntu: 'apt-get install chromium') or set OLIGOTRACK_CHROMIUM to its path",
  );
}

/**
 * Makes Chromium's PDF bytes a function of the page alone: /CreationDate and /ModDate become the
 * report date, and the tagged-PDF structure IDs `(nodeNNNNNNNN)` — Chromium's DOM node IDs, which
 * are handed out in an order that varies between runs (the same table headers got 1–9 in one run
 * and 8, 9, 1–7 in the next) — are renumbered in their order of first appearance in the file; each
 * /IDTree leaf then gets its (key, object) pairs re-sorted and its /Limits reset, as a name tree
 * must be sorted. Every replacement has the original's length, so the cross-reference offsets stay
 * valid.
 */
export function pinPdf(pdf: Buffer, isoDate: string): Buffer {
  let text = pdf.toString('latin1');
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (m) text = text.replace(/\/(CreationDate|ModDate) \(D:\d{14}/g, (_all, key: string) => `/${key} (D:${m[1]}${m[2]}${m[3]}000000`);
  const ids = [...new Set(text.match(/\(node\d{8}\)/g) ?? [])];
  const rank = new Map(ids.map((id, i) => [id, `(node${String(i + 1).padStart(8, '0')})`]));
  text = text.replace(/\(node\d{8}\)/g, (id) => rank.get(id)!);
  text = text.replace(
    /(\/Limits \[)\(node\d{8}\) \(node\d{8}\)(\]\s*\/Names \[)((?:\(node\d{8}\) \d+ \d+ R ?)+)\]/g,
    (_all, limits: string, names: string, body: string) => {
      const pairs = (body.match(/\(node\d{8}\) \d+ \d+ R/g) ?? []).sort();
      const keys = pairs.map((p) => p.slice(0, p.indexOf(' ')));
      return `${limits}${keys[0]} ${keys[keys.length - 1]}${names}${pairs.join(' ')}]`;
    },
  );
  return Buffer.from(text, 'latin1');
}

interface Pending {
  resolve: (v: Record<string, unknown>) => void;
  reject: (e: Error) => void;
}

/** A minimal DevTools-protocol client over Chromium's pipe (fd 3 in, fd 4 out; NUL-separated JSON). */
class Cdp {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly waiters: { method: string; sessionId?: string; resolve: () => void }[] = [];
  private buffer = Buffer.alloc(0);
  private failure: Error | null = null;

  constructor(
    private readonly child: ChildProcess,
    private readonly stderrTail: () => string,
  ) {
    const out = child.stdio[4] as NodeJS.ReadableStream;
    out.on('data', (chunk: Buffer) => this.receive(chunk));
    child.on('exit', (code, signal) =>
      this.fail(new UserError(`--pdf: Chromium exited early (${signal ?? `code ${code}`}): ${this.stderrTail() || 'no message'}`)),
    );
    child.on('error', (e) => this.fail(new UserError(`--pdf: cannot start Chromium (${e.message})`)));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (let end = this.buffer.indexOf(0); end >= 0; end = this.buffer.indexOf(0)) {
      const msg = JSON.parse(this.buffer.subarray(0, end).toString('utf8')) as {
        id?: number;
        method?: string;
        sessionId?: string;
        result?: Record<string, unknown>;
        error?: { message: string };
      };
      this.buffer = this.buffer.subarray(end + 1);
      if (msg.id !== undefined) {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error) p?.reject(new UserError(`--pdf: Chromium: ${msg.error.message}`));
        else p?.resolve(msg.result ?? {});
      } else if (msg.method) {
        for (let i = this.waiters.length - 1; i >= 0; i--) {
          const w = this.waiters[i];
          if (w.method === msg.method && w.sessionId === msg.sessionId) {
            this.waiters.splice(i, 1);
            w.resolve();
          }
        }
      }
    }
  }

  fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.failure) return Promise.reject(this.failure);
    const id = ++this.nextId;
    const input = this.child.stdio[3] as NodeJS.WritableStream;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  /** Resolves on the next event `method` of the session (register before triggering it). */
  next(method: string, sessionId?: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.failure) reject(this.failure);
      this.waiters.push({ method, sessionId, resolve });
    });
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new UserError(`--pdf: Chromium did not finish ${what} within ${ms / 1000} s`));
    }, ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export interface PdfJob {
  /** An HTML file on disk. */
  html: string;
  /** Where to write its PDF. */
  pdf: string;
}

/** Prints each HTML file to its PDF in one headless Chromium; dates pinned to `reportDate`. */
export async function printPdfs(jobs: PdfJob[], o: { chromium: string; reportDate: string; timeoutMs?: number }): Promise<void> {
  if (jobs.length === 0) return;
  const timeout = o.timeoutMs ?? 60_000;
  const profile = mkdtempSync(join(tmpdir(), 'oligotrack-chromium-'));
  let stderr = '';
  const child = spawn(o.chromium, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--remote-debugging-pipe', 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-4000);
  });
  // The last line that is not one of Chromium's routine complaints (D-Bus in containers).
  const tail = () =>
    stderr
      .split('\n')
      .filter((l) => l.trim() && !/dbus|bus\.cc|object_proxy/i.test(l))
      .at(-1)
      ?.trim() ?? '';
  const cdp = new Cdp(child, tail);
  const kill = () => child.kill('SIGKILL');
  try {
    const { targetId } = (await withTimeout(cdp.send('Target.createTarget', { url: 'about:blank' }), timeout, 'starting', kill)) as {
      targetId: string;
    };
    const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    await cdp.send('Page.enable', {}, sessionId);
    for (const job of jobs) {
      const loaded = cdp.next('Page.loadEventFired', sessionId);
      const nav = (await withTimeout(
        cdp.send('Page.navigate', { url: pathToFileURL(job.html).href }, sessionId),
        timeout,
        `opening ${job.html}`,
        kill,
      )) as {
        errorText?: string;
      };
      if (nav.errorText) throw new UserError(`--pdf: Chromium cannot open ${job.html}: ${nav.errorText}`);
      await withTimeout(loaded, timeout, `loading ${job.html}`, kill);
      // Links between report files would print as file:// URIs of the hidden build directory: useless
      // in a PDF and different on every run. The page's text is unchanged.
      await cdp.send(
        'Runtime.evaluate',
        { expression: "for (const a of document.querySelectorAll('a[href]')) a.removeAttribute('href')" },
        sessionId,
      );
      const { data } = (await withTimeout(
        cdp.send(
          'Page.printToPDF',
          { printBackground: true, preferCSSPageSize: true, displayHeaderFooter: false, generateTaggedPDF: true },
          sessionId,
        ),
        timeout,
        `printing ${job.html}`,
        kill,
      )) as { data: string };
      writeFileSync(job.pdf, pinPdf(Buffer.from(data, 'base64'), o.reportDate));
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await cdp.send('Browser.close').catch(() => undefined);
    await withTimeout(exited, 10_000, 'closing', kill).catch(() => undefined);
  } finally {
    if (child.exitCode === null && child.signalCode === null) kill();
    rmSync(profile, { recursive: true, force: true });
  }
}
