import { readFileSync } from 'node:fs';
import { countBam } from '../count/count-bam.js';
import { DEFAULT_COUNT_SETTINGS, type Site } from '../count/types.js';

/**
 * countBam in its own process (the benchmark's fallback when the CLI is not usable), printing
 * ref/alt per site. Usage: node dist/bench/count-child.js BAM SITES.json THREADS
 */
const [bamPath, sitesPath, threads] = process.argv.slice(2);
const sites = JSON.parse(readFileSync(sitesPath, 'utf8')) as Site[];
const result = await countBam(bamPath, sites, DEFAULT_COUNT_SETTINGS, { threads: Number(threads ?? 1) });
process.stdout.write(`${result.rows.map((r) => `${r.site.chrom}\t${r.site.pos1}\t${r.refCount}\t${r.altCount}`).join('\n')}\n`);
