import { actionableFor, isTargetable, loadActionability } from '../reference/actionability.js';
import { THERAPY_CLASSES, nextTherapyForSites, toxicityNotesFor } from '../reference/evidence.js';
import type { ClassifyKnowledge } from './types.js';

/**
 * Classification's view of reference/ (helper D's tables): which sites are targetable (somatic DNA
 * alterations with a matching drug in reference/actionability), the concurrent-radiotherapy
 * toxicity notes by therapy class and Nicosia et al.'s time to next systemic therapy.
 */
export function referenceKnowledge(): ClassifyKnowledge {
  const rows = loadActionability();
  return {
    targetable(site) {
      if (!isTargetable(site, rows)) return null;
      const hits = actionableFor(site.gene, site.protein, rows).filter((r) => r.origin === 'somatic' && r.dna_alteration === 'yes');
      return {
        therapies: [...new Set(hits.map((r) => r.drugs))],
        source: `reference/actionability/breast-actionability.tsv: ${hits.map((r) => r.id).join(', ')}`,
      };
    },
    toxicityNote(therapyClass) {
      if (!(THERAPY_CLASSES as readonly string[]).includes(therapyClass)) return null;
      const notes = toxicityNotesFor(therapyClass as (typeof THERAPY_CLASSES)[number]);
      if (notes.length === 0) return null;
      return {
        text: notes.map((n) => `${n.agent_group}: ${n.note}`).join(' | '),
        source: `reference/evidence/concurrent-rt-toxicity.tsv (${notes.map((n) => n.source).join('; ')})`,
      };
    },
    timeToNextTherapy(lesions) {
      const row = nextTherapyForSites(lesions);
      if (!row) return null;
      const range = row.progressing_sites_min === row.progressing_sites_max ? `${row.progressing_sites_min}` : `${row.progressing_sites_min}-${row.progressing_sites_max}`;
      return {
        months: row.median_months_to_next_systemic_therapy,
        text: `median ${row.median_months_to_next_systemic_therapy} months to next systemic therapy with ${range} progressing site(s) (${row.cohort})`,
        source: `reference/evidence/next-therapy-by-sites.tsv (${row.source})`,
      };
    },
  };
}
