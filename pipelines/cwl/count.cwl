cwlVersion: v1.2
class: CommandLineTool
label: oligotrack count
doc: |
  Count ref/alt fragments of one BAM or CRAM at known sites; writes the count JSON (schema
  oligotrack.count v1). The patient's tissue VCFs are counted with the sites, first, as track does.
$namespaces:
  edam: http://edamontology.org/
hints:
  SoftwareRequirement:
    packages:
      oligotrack:
        version: ["0.1.0"]
  ResourceRequirement:
    coresMin: 1
baseCommand: [oligotrack, count]
arguments:
  - prefix: --threads
    valueFrom: $(runtime.cores)
  - prefix: --format
    valueFrom: json
  - prefix: --out
    valueFrom: $(inputs.sample).count.json
inputs:
  bam:
    type: File
    format: [edam:format_2572, edam:format_3462]
    secondaryFiles:
      - {pattern: .bai, required: false}
      - {pattern: .crai, required: false}
    inputBinding: {prefix: --bam}
  reference:
    type: File?
    doc: indexed FASTA that decodes a reference-based CRAM
    secondaryFiles: [.fai, {pattern: .gzi, required: false}]
    inputBinding: {prefix: --reference}
  tissue_vcfs:
    type: File[]?
    doc: the patient's tissue VCFs
    inputBinding: {prefix: --sites}
  sample:
    type: string
    inputBinding: {prefix: --sample}
  panel:
    type: string?
    doc: a bundled panel, e.g. panel:breast
    inputBinding: {prefix: --sites}
  site_files:
    type: File[]?
    doc: site VCFs or panel TSVs
    inputBinding: {prefix: --sites}
  min_mapq:
    type: int
    default: 20
    inputBinding: {prefix: --min-mapq}
  min_baseq:
    type: int
    default: 20
    inputBinding: {prefix: --min-baseq}
  mates:
    type:
      type: enum
      symbols: [fragment, reads]
    default: fragment
    inputBinding: {prefix: --mates}
outputs:
  counts:
    type: File
    format: edam:format_3464
    outputBinding:
      glob: $(inputs.sample).count.json
