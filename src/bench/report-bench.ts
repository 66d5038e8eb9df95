/**
 * Report benchmark: `node dist/bench/report-bench.js [patients=100] [draws=10] [sites=8]`.
 * Writes synthetic track/classify outputs (timeline JSONs + classification.json) to a temp dir,
 * then times `buildReport` end to end (read, assemble, render, atomic write). Target: 100 patients
 * × 10 draws in under 10 s on 2 cores. A script, not a timed test (CI machines vary).
 */
import { mkdtempSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AssessmentClassification, ClassificationDocument } from '../classify/types.js';
import { DEFAULT_COUNT_SETTINGS } from '../count/types.js';
import { buildReport } from '../report/build-report.js';
import type { PatientTimeline, TimelinePoint, TimelineSite } from '../timeline/types.js';
import { VERSION } from '../version.js';

const SITES = [
  ['chr17', 7675088, 'C', 'T', 'TP53', 'p.R175H'],
  ['chr17', 7673802, 'C', 'T', 'TP53', 'p.R273H'],
  ['chr3', 179218303, 'G', 'A', 'PIK3CA', 'p.E545K'],
  ['chr3', 179234297, 'A', 'G', 'PIK3CA', 'p.H1047R'],
  ['chr6', 152098791, 'A', 'G', 'ESR1', 'p.D538G'],
  ['chr6', 152098788, 'A', 'C', 'ESR1', 'p.Y537S'],
  ['chr14', 104780214, 'C', 'T', 'AKT1', 'p.E17K'],
  ['chr17', 39711955, 'C', 'T', 'ERBB2', 'p.S310F'],
] as const; // positions are placeholders for timing only; nothing is counted

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0; // mulberry32
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function isoPlus(days: number): string {
  return new Date(Date.UTC(2024, 0, 1) + days * 86_400_000).toISOString().slice(0, 10);
}

export function synthTimeline(i: number, nDraws: number, nSites: number, id?: string): PatientTimeline {
  const r = rng(i + 1);
  const patient = id ?? `BENCH-${String(i).padStart(3, '0')}`;
  const draws = Array.from({ length: nDraws }, (_, d) => ({
    sample: `${patient}-D${d + 1}`,
    collection_date: isoPlus(d * 60 + (i % 30)),
    timepoint: d === 0 ? 'baseline' : `M${d * 2}`,
    therapy: null,
    bam: `/data/${patient}-D${d + 1}.bam`,
    reads_seen: 100000,
    reads_passing: 95000,
  }));
  const sites: TimelineSite[] = SITES.slice(0, nSites).map(([chrom, pos, ref, alt, gene, protein]) => {
    const points: TimelinePoint[] = draws.map((d, k) => {
      const depth = 2000 + Math.floor(r() * 1000);
      const vaf = r() < 0.3 ? 0 : r() * 0.05;
      const altCount = Math.round(vaf * depth);
      return {
        sample: d.sample,
        collection_date: d.collection_date,
        depth,
        alt_count: altCount,
        vaf: altCount / depth,
        vaf_low: Math.max(0, altCount / depth - 0.002),
        vaf_high: altCount / depth + 0.002,
        p_value: altCount > 3 ? 1e-6 : 0.3,
        lod: 0.0015,
        call: altCount > 3 ? 'detected' : 'not_detected',
        event: k === 0 ? 'baseline' : 'stable',
        change_p_value: null,
        fold_change: null,
        mean_frag_len_alt: altCount ? 145 : null,
        mean_frag_len_ref: 167,
        families: 0,
      };
    });
    return {
      key: `${chrom}:${pos}:${ref}>${alt}`,
      chrom,
      pos,
      ref,
      alt,
      gene,
      protein,
      id: `${gene}_${protein}`,
      germline_or_ch: false,
      germline_or_ch_reason: '',
      clonal: points[0].call === 'detected',
      first_detection: null,
      nadir: null,
      points,
    };
  });
  return {
    schema: 'oligotrack.timeline',
    schema_version: 2,
    patient,
    tool_version: VERSION,
    count_settings: DEFAULT_COUNT_SETTINGS,
    event_settings: { alpha: 0.01, min_fold: 2, clonal_min_relative_vaf: 0.5 },
    call_settings: { alpha: 0.01 },
    draws,
    sites,
    tumour_fraction: {
      method: 'pooled clonal VAF × 2',
      clonal_sites: sites.filter((s) => s.clonal).map((s) => s.key),
      points: draws.map((d) => ({
        sample: d.sample,
        collection_date: d.collection_date,
        sites_informative: 2,
        sites_detected: 2,
        alt_count: 50,
        depth: 5000,
        pooled_vaf: 0.01,
        estimate: 0.02,
        low: 0.016,
        high: 0.024,
        site_dispersion: 1,
        call: 'detected',
        event: 'stable',
        change_p_value: null,
        fold_change: null,
      })),
    },
  };
}

export function synthAssessment(t: PatientTimeline, k: number): AssessmentClassification {
  const groups = [
    'true_oligoprogression',
    'widespread_progression',
    'oligoprogression_targetable',
    'indeterminate',
    'no_progression',
  ] as const;
  return {
    patient: t.patient,
    assessment_date: t.draws[Math.min(t.draws.length - 1, 3 + k * 3)].collection_date,
    group: groups[(t.patient.length + k) % groups.length],
    progressing_lesions: k + 1,
    molecular_progression: false,
    targetable_mutations: [],
    modifiers: [],
    rationale: 'synthetic',
    indeterminate_reason: null,
    draws_used: [],
    draws_in_window: [],
    rules: [
      {
        id: 'rule2_oligoprogression',
        description: 'radiological oligoprogression',
        inputs: { progressing_lesions: k + 1 },
        value: String(k + 1),
        threshold: '1-5',
        pass: true,
        source: 'synthetic',
      },
    ],
  };
}

/** Writes DIR/patients/*.json and DIR/classification.json for `n` synthetic patients. */
export function writeSyntheticTrackDir(
  dir: string,
  nPatients: number,
  nDraws: number,
  nSites: number,
  patientId?: (i: number) => string,
): void {
  mkdirSync(join(dir, 'patients'), { recursive: true });
  const assessments: AssessmentClassification[] = [];
  for (let i = 0; i < nPatients; i++) {
    const t = synthTimeline(i, nDraws, nSites, patientId?.(i));
    writeFileSync(join(dir, 'patients', `${t.patient.replace(/[^A-Za-z0-9._-]/g, '_')}.json`), JSON.stringify(t));
    assessments.push(synthAssessment(t, 0), synthAssessment(t, 1));
  }
  const doc: ClassificationDocument = {
    schema: 'oligotrack.classification',
    schema_version: 2,
    tool_version: VERSION,
    policy_file: 'synthetic',
    policy_name: 'synthetic',
    assessments,
  };
  writeFileSync(join(dir, 'classification.json'), JSON.stringify(doc));
}

async function main(): Promise<void> {
  const [nPatients, nDraws, nSites] = [Number(process.argv[2] ?? 100), Number(process.argv[3] ?? 10), Number(process.argv[4] ?? 8)];
  const dir = mkdtempSync(join(tmpdir(), 'oligotrack-report-bench-'));
  try {
    writeSyntheticTrackDir(dir, nPatients, nDraws, nSites);
    const times: number[] = [];
    for (let rep = 0; rep < 3; rep++) {
      const t0 = process.hrtime.bigint();
      await buildReport({ inDir: dir, outDir: join(dir, 'report') });
      times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    }
    const files = readdirSync(join(dir, 'report'));
    const bytes = files.reduce((n, f) => n + statSync(join(dir, 'report', f)).size, 0);
    times.sort((a, b) => a - b);
    process.stdout.write(
      `report-bench: ${nPatients} patients × ${nDraws} draws × ${nSites} sites → ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB; ` +
        `build time median of 3: ${times[1].toFixed(2)} s (min ${times[0].toFixed(2)}, max ${times[2].toFixed(2)}); target < 10 s: ${times[1] < 10 ? 'PASS' : 'FAIL'}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run only as a script, so tests can import the synthetic builders.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
