import type { CountSource } from '../app/count-sample.js';
import { trackCohort } from '../app/track.js';
import { DEFAULT_EVENT_SETTINGS } from '../timeline/types.js';
import { info } from '../util/log.js';
import { defineCommand } from './command.js';
import { countSettingsFrom } from './options.js';
import { CALLING_OPTIONS, COUNTING_OPTIONS, SAMPLESHEET_OPTION, SITES_OPTION, STORE_OPTION, outDirOption } from './spec.js';

const SOURCE_WORDS: Record<CountSource, string> = {
  counted: 'counted',
  cache: 'counts reused from cache',
  store: 'counts read from store',
  'counts-dir': 'counts read from counts dir',
};

export const trackCommand = defineCommand(
  {
    name: 'track',
    command: 'track',
    describe: 'Count every draw of a samplesheet and build per-patient timelines (VAF series, events, tumour fraction)',
    options: [
      SAMPLESHEET_OPTION,
      { ...SITES_OPTION, describe: `${SITES_OPTION.describe}; for every patient, optional when every patient has a samplesheet 'vcf'` },
      outDirOption('Output directory: timeline.tsv, patients/<patient>.json, counts/ (cache), multiqc/'),
      ...COUNTING_OPTIONS,
      ...CALLING_OPTIONS,
      {
        name: 'event-alpha',
        kind: 'fraction',
        default: DEFAULT_EVENT_SETTINGS.alpha,
        describe: 'Significance of the two-count test behind emerged/rising/falling/cleared',
        deprecated: [{ name: 'alpha' }],
      },
      { name: 'min-fold', kind: 'number', min: 1, default: DEFAULT_EVENT_SETTINGS.min_fold, describe: 'Fold change for rising/falling' },
      {
        name: 'counts-dir',
        kind: 'path',
        describe:
          'Read precomputed DIR/<sample>.count.json (oligotrack count --format json) instead of counting; normals as <sample>.normal.count.json',
      },
      STORE_OPTION,
      {
        name: 'cache',
        kind: 'boolean',
        default: true,
        describe: 'Reuse OUT-DIR/counts/<sample>.json when BAM, sites and settings are unchanged (--no-cache to recount)',
      },
    ],
  },
  async ({ values: o }) => {
    const result = await trackCohort({
      samplesheet: o.samplesheet,
      sites: o.sites,
      outDir: o['out-dir'],
      settings: countSettingsFrom(o),
      threads: o.threads,
      referencePath: o.reference,
      ponPath: o.pon,
      siteAlpha: o['site-alpha'],
      minDepth: o['min-depth'],
      events: { ...DEFAULT_EVENT_SETTINGS, alpha: o['event-alpha'], min_fold: o['min-fold'] },
      cache: o.cache,
      countsDir: o['counts-dir'],
      storePath: o.store,
      onDraw: (_done, _total, sample, counts) => info(`${sample}: ${SOURCE_WORDS[counts.source]} (${counts.rows.length} sites)`),
    });
    const n = result.bySource;
    info(`counts: ${n.counted} counted, ${n.cache} from cache, ${n.store} from store, ${n['counts-dir']} from counts dir`);
    info(
      `${result.draws} draws of ${result.timelines.length} patients (${n.cache} from cache) → ${o['out-dir']}/timeline.tsv, patients/*.json`,
    );
  },
);
