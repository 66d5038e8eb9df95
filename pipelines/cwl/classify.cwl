cwlVersion: v1.2
class: CommandLineTool
label: oligotrack classify
doc: Classify each imaging assessment into the review's groups (or indeterminate), with evidence.
$namespaces:
  edam: http://edamontology.org/
hints:
  SoftwareRequirement:
    packages:
      oligotrack:
        version: ["0.1.0"]
baseCommand: [oligotrack, classify]
arguments:
  - {prefix: --out, valueFrom: classification.tsv}
  - {prefix: --json, valueFrom: classification.json}
inputs:
  timeline_dir:
    type: Directory
    doc: output directory of oligotrack track
    inputBinding: {prefix: --timeline}
  clinical:
    type: File
    format: edam:format_3752
    inputBinding: {prefix: --clinical}
  imaging:
    type: File
    format: edam:format_3752
    inputBinding: {prefix: --imaging}
  policy:
    type: File?
    doc: policy YAML or JSON (default the bundled policy)
    inputBinding: {prefix: --policy}
  between_draw_prior:
    type: string?
    doc: auto, default, cohort, or the lab's measured CV such as "0.15" (default auto)
    inputBinding: {prefix: --between-draw-prior}
outputs:
  classification:
    type: File
    format: edam:format_3475
    outputBinding: {glob: classification.tsv}
  classification_json:
    type: File
    format: edam:format_3464
    outputBinding: {glob: classification.json}
