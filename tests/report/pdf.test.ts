import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findChromium, pinPdf } from '../../src/report/pdf.js';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

describe('PDF bytes pinned', () => {
  it('sets both dates to the report date and renumbers structure IDs by first appearance, keeping every length', () => {
    const raw = Buffer.from(
      "/CreationDate (D:20261204122102+00'00')\n/ModDate (D:20261204122103+00'00')\n/ID (node00000081)\n/ID (node00000079)\n" +
        '/Limits [(node00000079) (node00000081)]\n/Names [(node00000079) 12 0 R (node00000081) 9 0 R]',
      'latin1',
    );
    const out = pinPdf(raw, '2025-09-01');
    expect(out.length).toBe(raw.length);
    expect(out.toString('latin1')).toBe(
      "/CreationDate (D:20250901000000+00'00')\n/ModDate (D:20250901000000+00'00')\n/ID (node00000001)\n/ID (node00000002)\n" +
        '/Limits [(node00000001) (node00000002)]\n/Names [(node00000001) 9 0 R (node00000002) 12 0 R]',
    );
    // Two prints whose DOM counters differ by one give the same bytes.
    const shifted = Buffer.from(
      raw.toString('latin1').replace(/node000000(\d\d)/g, (_m, d: string) => `node000000${Number(d) + 1}`),
      'latin1',
    );
    expect(pinPdf(shifted, '2025-09-01').equals(out)).toBe(true);
    // Two prints that handed the same IDs to the elements in another order (seen in CI: the index's
    // table headers got 1-9 in one run, 8, 9, 1-7 in the next) also give the same bytes.
    const permuted = Buffer.from(
      "/CreationDate (D:20261204122102+00'00')\n/ModDate (D:20261204122103+00'00')\n/ID (node00000003)\n/ID (node00000001)\n" +
        '/Limits [(node00000001) (node00000003)]\n/Names [(node00000001) 12 0 R (node00000003) 9 0 R]',
      'latin1',
    );
    expect(pinPdf(permuted, '2025-09-01').toString('latin1')).toBe(out.toString('latin1'));
  });
});

describe('finding Chromium', () => {
  it('takes OLIGOTRACK_CHROMIUM, else the first chromium on PATH; a missing one is a user error saying how to install it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ot-chromium-'));
    made.push(dir);
    const fake = join(dir, 'chromium');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    expect(findChromium({ PATH: `${join(dir, 'none')}:${dir}` })).toBe(fake);
    expect(findChromium({ PATH: '', OLIGOTRACK_CHROMIUM: fake })).toBe(fake);
    expect(() => findChromium({ PATH: join(dir, 'none') })).toThrow(/--pdf needs Chromium.*apt-get install chromium/);
    expect(() => findChromium({ PATH: dir, OLIGOTRACK_CHROMIUM: join(dir, 'nope') })).toThrow(
      /OLIGOTRACK_CHROMIUM=.*nope is not an executable file/,
    );
  });
});
