import { chProneGeneSet } from '../reference/ch-genes.js';
import { agentsIn, resistanceFor } from '../reference/drug-classes.js';
import { referenceKnowledge } from './knowledge.js';
import type { DrugKnowledge } from './targetable-findings.js';
import type { ClassifyKnowledge } from './types.js';

/** What the v2 policy reads from reference/ beyond the actionability, toxicity and time-to-next-therapy tables. */
export interface ClassifyKnowledgeV2 extends ClassifyKnowledge, DrugKnowledge {
  /** reference/evidence/ch-prone-genes.tsv */
  chProneGenes: ReadonlySet<string>;
  /** An acquired-resistance site (reference/evidence/resistance-to-therapy.tsv): followed on its own, never in the clonal set. */
  resistanceSite(site: { gene: string; protein: string }): boolean;
}

export function referenceKnowledgeV2(): ClassifyKnowledgeV2 {
  const base = referenceKnowledge();
  return {
    ...base,
    actionable: (site) => base.targetable(site),
    agents: (therapy) => agentsIn(therapy),
    resists: (gene, protein) => [...new Set(resistanceFor(gene, protein).map((r) => r.resisted_drug_class))],
    chProneGenes: chProneGeneSet(),
    resistanceSite: (site) => resistanceFor(site.gene, site.protein).length > 0,
  };
}
