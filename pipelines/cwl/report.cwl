cwlVersion: v1.2
class: CommandLineTool
label: oligotrack report
doc: Self-contained HTML reports, one per patient plus a cohort index.
$namespaces:
  edam: http://edamontology.org/
hints:
  SoftwareRequirement:
    packages:
      oligotrack:
        version: ["0.1.0"]
baseCommand: [oligotrack, report]
arguments:
  - {prefix: --out-dir, valueFrom: report}
inputs:
  timeline_dir:
    type: Directory
    inputBinding: {prefix: --in}
  classification_json:
    type: File
    format: edam:format_3464
    inputBinding: {prefix: --classification}
  clinical:
    type: File?
    format: edam:format_3752
    inputBinding: {prefix: --clinical}
  imaging:
    type: File?
    format: edam:format_3752
    inputBinding: {prefix: --imaging}
outputs:
  report_dir:
    type: Directory
    outputBinding: {glob: report}
  index:
    type: File
    format: edam:format_2331
    outputBinding: {glob: report/index.html}
