import { actionableFor, isTargetable, loadActionability } from '../reference/actionability.js';
import { chProneGeneSet } from '../reference/ch-genes.js';
import { agentsIn, resistanceFor } from '../reference/drug-classes.js';
import { THERAPY_CLASSES, nextTherapyForSites, toxicityNotesFor } from '../reference/evidence.js';
import type { ClassifyKnowledge } from './types.js';

/**
 * Classification's view of reference/: which sites are targetable (somatic DNA alterations with a
 * matching drug in reference/actionability), the drug classes of a therapy and the classes an
 * alteration resists (reference/evidence/therapy-drug-classes.tsv, resistance-to-therapy.tsv), the
 * CH-prone genes (ch-prone-genes.tsv), the concurrent-radiotherapy toxicity notes by therapy class
 * and Nicosia et al.'s time to next systemic therapy.
 */
export function referenceKnowledge(): ClassifyKnowledge {
  const rows = loadActionability();
  const targetable: ClassifyKnowledge['targetable'] = (site) => {
    if (!isTargetable(site, rows)) return null;
    const hits = actionableFor(site.gene, site.protein, rows).filter((r) => r.origin === 'somatic' && r.dna_alteration === 'yes');
    return {
      therapies: [...new Set(hits.map((r) => r.drugs))],
      source: `reference/actionability/breast-actionability.tsv: ${hits.map((r) => r.id).join(', ')}`,
    };
  };
  return {
    targetable,
    agents: (therapy) => agentsIn(therapy),
    resists: (gene, protein) => [...new Set(resistanceFor(gene, protein).map((r) => r.resisted_drug_class))],
    chProneGenes: chProneGeneSet(),
    resistanceSite: (site) => resistanceFor(site.gene, site.protein).length > 0,
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
      const range =
        row.progressing_sites_min === row.progressing_sites_max
          ? `${row.progressing_sites_min}`
          : `${row.progressing_sites_min}-${row.progressing_sites_max}`;
      return {
        months: row.median_months_to_next_systemic_therapy,
        text: `median ${row.median_months_to_next_systemic_therapy} months to next systemic therapy with ${range} progressing site(s) (${row.cohort})`,
        source: `reference/evidence/next-therapy-by-sites.tsv (${row.source})`,
      };
    },
  };
}
