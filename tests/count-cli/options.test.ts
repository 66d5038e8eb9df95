import { describe, expect, it } from 'vitest';
import { sampleNameFromHeader as sampleName } from '../../src/app/sample-name.js';
import { loadSiteSpec } from '../../src/app/sites.js';
import { parseFlagMask, readOptionValue } from '../../src/cli/options.js';
import { COUNTING_OPTIONS } from '../../src/cli/spec.js';
import { UsageError, UserError } from '../../src/util/errors.js';

const excludeFlags = COUNTING_OPTIONS.find((o) => o.name === 'exclude-flags')!;

describe('--exclude-flags', () => {
  it('reads hex, decimal and samtools flag names', () => {
    expect(parseFlagMask('0xF04')).toBe(0xf04);
    expect(parseFlagMask('3844')).toBe(3844);
    expect(parseFlagMask('0')).toBe(0);
    // UNMAP 0x4 + SECONDARY 0x100 + QCFAIL 0x200 + DUP 0x400 + SUPPLEMENTARY 0x800 (samtools flags)
    expect(parseFlagMask('UNMAP,SECONDARY,QCFAIL,DUP,SUPPLEMENTARY')).toBe(0xf04);
    expect(parseFlagMask('dup')).toBe(0x400);
  });
  it('rejects unknown names and out-of-range masks as usage errors that echo the value', () => {
    for (const bad of ['DUPS', '0x1000', '']) {
      expect(parseFlagMask(bad)).toBeNull();
      expect(() => readOptionValue(excludeFlags, bad)).toThrow(UsageError);
    }
    expect(() => readOptionValue(excludeFlags, 'DUPS')).toThrow("--exclude-flags: 'DUPS' is not a SAM flag mask");
  });
});

describe('sample name', () => {
  const header = (...rg: string[]) => ['@HD\tVN:1.6', ...rg].join('\n');
  it('prefers --sample, then a single @RG SM, then the file stem', () => {
    expect(sampleName('X', header('@RG\tID:1\tSM:A'), '/d/p.bam')).toBe('X');
    expect(sampleName(undefined, header('@RG\tID:1\tSM:A', '@RG\tID:2\tSM:A'), '/d/p.bam')).toBe('A');
    expect(sampleName(undefined, header(), '/d/PT01_C1D1.bam')).toBe('PT01_C1D1');
    expect(sampleName(undefined, header(), '-')).toBe('stdin');
  });
});

describe('bundled panels', () => {
  it('rejects an unknown panel name as a usage error and an unknown build as a runtime error', async () => {
    await expect(loadSiteSpec('panel:lung', { bamBuild: 'GRCh38' })).rejects.toThrow(UsageError);
    const e = await loadSiteSpec('panel:breast', { bamBuild: 'unknown' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).exitCode).toBe(1);
    expect((e as Error).message).toMatch(/match neither GRCh38 nor GRCh37/);
  });
  it('gives trimmed, duplicate-free sites of the requested build', async () => {
    const f = await loadSiteSpec('panel:breast', { bamBuild: 'GRCh37' });
    expect(f.declaredBuild).toBe('GRCh37');
    expect(f.sites.length).toBeGreaterThan(20);
    expect(f.sites.every((s) => /^[ACGTN]+$/.test(s.site.ref) && /^[ACGTN]+$/.test(s.site.alt))).toBe(true);
  });
});
