cwlVersion: v1.2
class: CommandLineTool
label: MultiQC over oligotrack's custom content
doc: Renders the oligotrack_*_mqc.json files (per-draw table, tumour fraction graph) with MultiQC.
$namespaces:
  edam: http://edamontology.org/
hints:
  SoftwareRequirement:
    packages:
      multiqc:
        version: ["1.14"]
baseCommand: [multiqc, --force, --filename, multiqc_report.html, --outdir, multiqc]
inputs:
  custom_content:
    type: Directory
    inputBinding: {position: 1}
outputs:
  report:
    type: File
    format: edam:format_2331
    outputBinding: {glob: multiqc/multiqc_report.html}
