import { afterEach, describe, expect, it, vi } from 'vitest';
import { fitToWidth, Progress, terminalColumns } from '../../src/cli/progress.js';

function captureStderr(): { writes: string[]; restore: () => void } {
  const writes: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    writes.push(String(s));
    return true;
  });
  return { writes, restore: () => spy.mockRestore() };
}

describe('progress', () => {
  const columnsBefore = process.stderr.columns;
  afterEach(() => {
    process.stderr.columns = columnsBefore;
  });

  it('writes plain log lines when stderr is not a terminal and a redrawn bar when it is', () => {
    const { writes, restore } = captureStderr();
    try {
      process.stderr.columns = 120;
      const plain = new Progress('counting', 2, false);
      plain.step(1, 'S1');
      plain.done();
      expect(writes).toEqual(['oligotrack: counting 1/2: S1\n']);
      writes.length = 0;
      const bar = new Progress('counting', 2, true);
      bar.step(1, 'S1');
      bar.step(2, 'S2');
      bar.done();
      expect(writes[0]).toBe('\rcounting [############------------] 1/2 S1');
      expect(writes[1]).toBe('\rcounting [########################] 2/2 S2');
      expect(writes[2]).toBe('\n');
    } finally {
      restore();
    }
  });

  it('keeps every character when the terminal reports 0 columns (falls back to 80)', () => {
    expect(terminalColumns(0)).toBe(80);
    expect(terminalColumns(undefined)).toBe(80);
    expect(terminalColumns(-3)).toBe(80);
    expect(terminalColumns(40)).toBe(40);
    const { writes, restore } = captureStderr();
    try {
      process.stderr.columns = 0;
      const bar = new Progress('counting', 1, true);
      bar.step(1, 'P01-T0');
      bar.done();
      expect(writes[0]).toBe('\rcounting [########################] 1/1 P01-T0');
    } finally {
      restore();
    }
  });

  it('cuts a long line at the width in characters, never inside one', () => {
    expect(fitToWidth('abcdef', 4)).toBe('abc');
    expect(fitToWidth('abc', 4)).toBe('abc');
    // 𝛼 (U+1D6FC) is two UTF-16 code units: cutting by code units would leave half of it.
    const cut = fitToWidth('ab𝛼𝛼𝛼', 4);
    expect(cut).toBe('ab𝛼');
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
