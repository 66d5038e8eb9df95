cwlVersion: v1.2
class: Workflow
label: oligotrack count -> track -> classify -> report
doc: |
  Counts every draw (one scattered job per BAM or CRAM), builds the patients' timelines, classifies
  each imaging assessment and writes the HTML reports. The count JSONs feed track (which reads them
  instead of counting again) and are workflow outputs (for `oligotrack store ingest`); so are the
  MultiQC custom-content files track writes (`multiqc`), and, with `run_multiqc: true`, MultiQC's
  report of them.
$namespaces:
  edam: http://edamontology.org/
requirements:
  ScatterFeatureRequirement: {}
  StepInputExpressionRequirement: {}
  InlineJavascriptRequirement: {}
  SchemaDefRequirement:
    types:
      - $import: draw.yml
inputs:
  draws: draw.yml#Draw[]
  panel: string?
  site_files: File[]?
  clinical:
    type: File
    format: edam:format_3752
  imaging:
    type: File
    format: edam:format_3752
  policy: File?
  between_draw_prior:
    type: string?
    doc: classify --between-draw-prior (auto, default, cohort, or the lab's measured CV such as "0.15")
  reference:
    type: File?
    doc: indexed FASTA (with .fai) the CRAM draws were written with; not needed when all draws are BAM
    secondaryFiles: [.fai, {pattern: .gzi, required: false}]
  run_multiqc:
    type: boolean
    default: false
    doc: also run MultiQC (on PATH) over the custom-content files
steps:
  count:
    run: count.cwl
    scatter: [bam, sample, tissue_vcfs]
    scatterMethod: dotproduct
    in:
      all_draws: draws
      bam:
        source: draws
        valueFrom: $(self.bam)
      sample:
        source: draws
        valueFrom: $(self.sample)
      # The tissue VCFs of the draw's patient, from every draw of that patient (one VCF given once
      # per patient applies to all of the patient's draws, as in track), each file once.
      tissue_vcfs:
        source: draws
        valueFrom: |-
          ${
            var seen = {};
            var out = [];
            inputs.all_draws.forEach(function (d) {
              if (d.patient === self.patient && d.vcf && !seen[d.vcf.location]) {
                seen[d.vcf.location] = true;
                out.push(d.vcf);
              }
            });
            return out.length ? out : null;
          }
      panel: panel
      site_files: site_files
      reference: reference
    out: [counts]
  track:
    run: track.cwl
    in:
      draws: draws
      counts: count/counts
      panel: panel
      site_files: site_files
      reference: reference
    out: [timeline_dir, timeline, multiqc]
  classify:
    run: classify.cwl
    in:
      timeline_dir: track/timeline_dir
      clinical: clinical
      imaging: imaging
      policy: policy
      between_draw_prior: between_draw_prior
    out: [classification, classification_json]
  report:
    run: report.cwl
    in:
      timeline_dir: track/timeline_dir
      classification_json: classify/classification_json
      clinical: clinical
      imaging: imaging
    out: [report_dir, index]
  render_multiqc:
    run: multiqc.cwl
    when: $(inputs.run)
    in:
      run: run_multiqc
      custom_content: track/multiqc
    out: [report]
outputs:
  counts:
    type: File[]
    outputSource: count/counts
  timeline:
    type: File
    outputSource: track/timeline
  classification:
    type: File
    outputSource: classify/classification
  classification_json:
    type: File
    outputSource: classify/classification_json
  report_dir:
    type: Directory
    outputSource: report/report_dir
  multiqc:
    type: Directory
    doc: MultiQC custom-content files (oligotrack_*_mqc.json)
    outputSource: track/multiqc
  multiqc_report:
    type: File?
    doc: MultiQC's report of those files (with run_multiqc)
    outputSource: render_multiqc/report
