cwlVersion: v1.2
class: Workflow
label: oligotrack count -> track -> classify -> report
doc: |
  Counts every draw (one scattered job per BAM), builds the patients' timelines, classifies each
  imaging assessment and writes the HTML reports. The count JSONs feed track (which reads them
  instead of counting again) and are workflow outputs (for `oligotrack store ingest`).
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
steps:
  count:
    run: count.cwl
    scatter: [bam, sample]
    scatterMethod: dotproduct
    in:
      bam:
        source: draws
        valueFrom: $(self.bam)
      sample:
        source: draws
        valueFrom: $(self.sample)
      panel: panel
      site_files: site_files
    out: [counts]
  track:
    run: track.cwl
    in:
      draws: draws
      counts: count/counts
      panel: panel
      site_files: site_files
    out: [timeline_dir, timeline]
  classify:
    run: classify.cwl
    in:
      timeline_dir: track/timeline_dir
      clinical: clinical
      imaging: imaging
      policy: policy
    out: [classification, classification_json]
  report:
    run: report.cwl
    in:
      timeline_dir: track/timeline_dir
      classification_json: classify/classification_json
      clinical: clinical
      imaging: imaging
    out: [report_dir, index]
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
