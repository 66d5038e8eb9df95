import type { VcfQuery, VcfSites } from '../io/vcf-reader.js';
import { readTextHead } from '../io/vcf-reader-text.js';
import { readPanelTsv } from '../io/panel-tsv.js';
import { fileError } from '../util/errors.js';
import { canonicalContig } from './contigs.js';
import { buildFromName, detectBuild, parseBuildName, type GenomeBuildName } from './genome-build.js';
import type { Region } from './region.js';
import { checkedSite, rejectDuplicates, type LoadedSite, type SiteFile } from './sites.js';

/**
 * Load one sites file: a VCF (plain/bgzipped; recognised by its `##fileformat=VCF` first line,
 * not by its name) or a panel TSV; `region` reads only that window of an indexed VCF. Every allele
 * is checked and trimmed; a site repeated within the file is an error naming both lines. The
 * bundled panels (`panel:NAME`) are data of reference/ and are dispatched above this stage
 * (src/app/sites.ts).
 */
export async function loadSiteFile(path: string, region?: Region): Promise<SiteFile> {
  const file = sniffFormat(path) === 'vcf' ? await loadVcfSites(path, region) : await loadPanelTsvSites(path);
  rejectDuplicates(file.sites);
  return file;
}

function sniffFormat(path: string): 'vcf' | 'tsv' {
  const head = readTextHead(path, 64 * 1024);
  if (head.startsWith('BAM\x01'))
    throw fileError(path, 'is a BAM file; --sites takes a VCF, a panel TSV or panel:breast (the BAM goes to --bam)');
  return head.startsWith('##fileformat=VCF') ? 'vcf' : 'tsv';
}

async function loadVcfSites(path: string, region: Region | undefined): Promise<SiteFile> {
  const query = region
    ? (contigs: string[]): VcfQuery | undefined => {
        const name = contigs.includes(region.chrom)
          ? region.chrom
          : contigs.find((c) => canonicalContig(c) === canonicalContig(region.chrom));
        return name === undefined ? undefined : { chrom: name, start0: region.start0, end0: region.end0 };
      }
    : undefined;
  // Imported here: @gmod/vcf and @gmod/tabix cost ~60 ms of start-up that a panel TSV never needs.
  const { readVcf } = await import('../io/vcf-reader.js');
  const vcf = await readVcf(path, query);
  const sites: LoadedSite[] = [];
  for (const record of vcf.records) {
    for (const alt of record.alts) {
      const loaded = checkedSite(path, record.line, { ...record, alt }, `record ${record.chrom}:${record.pos1}`);
      if (record.somatic || vcf.header.tumourNormal) loaded.somatic = true;
      sites.push(loaded);
    }
  }
  const contigLengths = new Map<string, number>();
  for (const c of vcf.header.contigs) if (c.length !== undefined) contigLengths.set(c.name, c.length);
  return { source: path, kind: 'vcf', sites, contigLengths, ...vcfDeclaredBuild(vcf) };
}

/** The build a VCF header declares: its ##contig lengths first, then ##reference, then assembly=. */
function vcfDeclaredBuild(vcf: VcfSites): { declaredBuild?: GenomeBuildName; buildEvidence?: string } {
  const withLengths = vcf.header.contigs.filter((c) => c.length !== undefined) as { name: string; length: number }[];
  const byLength = detectBuild(withLengths);
  if (byLength !== 'unknown') return { declaredBuild: byLength, buildEvidence: 'its ##contig lengths' };
  if (vcf.header.reference !== '') {
    const byName = buildFromName(vcf.header.reference);
    if (byName) return { declaredBuild: byName, buildEvidence: `##reference=${vcf.header.reference}` };
  }
  for (const c of vcf.header.contigs) {
    const byAssembly = c.assembly === '' ? undefined : buildFromName(c.assembly);
    if (byAssembly) return { declaredBuild: byAssembly, buildEvidence: `##contig assembly=${c.assembly}` };
  }
  return {};
}

async function loadPanelTsvSites(path: string): Promise<SiteFile> {
  const rows = await readPanelTsv(path);
  const sites: LoadedSite[] = [];
  let declaredBuild: GenomeBuildName | undefined;
  let buildLine = 0;
  for (const row of rows) {
    if (row.build !== '') {
      const build = parseBuildName(row.build);
      if (!build) throw fileError(path, `unknown build ${JSON.stringify(row.build)} (expected GRCh38 or GRCh37)`, row.line);
      if (declaredBuild && build !== declaredBuild) {
        throw fileError(path, `build ${build} differs from ${declaredBuild} on line ${buildLine}: one panel, one build`, row.line);
      }
      declaredBuild = build;
      buildLine ||= row.line;
    }
    sites.push(checkedSite(path, row.line, row, `line ${row.line}`));
  }
  return {
    source: path,
    kind: 'panel-tsv',
    sites,
    contigLengths: new Map(),
    ...(declaredBuild ? { declaredBuild, buildEvidence: `its build column (line ${buildLine})` } : {}),
  };
}
