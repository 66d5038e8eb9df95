export * from './actionability.js';
export * from './evidence.js';
export * from './export.js';
export * from './fasta-check.js';
export * from './hgvs.js';
export * from './panel.js';
export * from './panel-schema.js';
export { referenceDir, referencePath } from './paths.js';
