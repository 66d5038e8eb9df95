import { buildPanelOfNormals } from '../app/pon.js';
import { writeOutput } from '../io/output.js';
import { formatPon } from '../stats/pon.js';
import { defineCommand } from './command.js';
import { countSettingsFrom } from './options.js';
import { COUNTING_OPTIONS, SITES_OPTION } from './spec.js';

/**
 * `oligotrack pon`: a panel of normals (per-site and per-substitution-class background error rates
 * with their dispersion) from normal plasma or healthy donor BAMs, counted as the samples will be.
 */
export const ponCommand = defineCommand(
  {
    name: 'pon',
    command: 'pon',
    describe: 'Build a panel of normals: per-site and per-substitution background error rates from normal BAMs',
    options: [
      { name: 'bam', kind: 'list', required: true, describe: 'Normal plasma / healthy donor BAMs or CRAMs (indexed, coordinate-sorted)' },
      { ...SITES_OPTION, required: true, describe: `${SITES_OPTION.describe}; the sites the PoN is for, as given to count` },
      { name: 'targets', kind: 'path', describe: 'Capture targets BED (sorted, non-overlapping): class rates from every target position' },
      { name: 'out', kind: 'path', required: true, describe: 'PoN TSV to write (atomically), - for stdout' },
      ...COUNTING_OPTIONS,
    ],
  },
  async ({ values: o }) => {
    const pon = await buildPanelOfNormals({
      paths: o.bam,
      sites: o.sites,
      targetsPath: o.targets,
      settings: countSettingsFrom(o),
      threads: o.threads,
      referencePath: o.reference,
    });
    writeOutput(o.out, formatPon(pon));
  },
);
