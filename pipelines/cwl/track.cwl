cwlVersion: v1.2
class: CommandLineTool
label: oligotrack track
doc: |
  Build per-patient timelines (VAF series, events, tumour fraction) from the draws. The samplesheet
  is written from the `draws` records, with the staged BAM paths. The draws' counts are the count
  step's JSONs (`counts`, staged as <sample>.count.json into the working directory and read with
  --counts-dir): track does not count again; it reads each BAM's header to resolve the sites and
  refuses a JSON counted at other sites or with other settings.
$namespaces:
  edam: http://edamontology.org/
requirements:
  InlineJavascriptRequirement: {}
  SchemaDefRequirement:
    types:
      - $import: draw.yml
  InitialWorkDirRequirement:
    listing:
      - entryname: samplesheet.csv
        entry: |-
          ${
            var cell = function (v) { return v === null || v === undefined ? "" : String(v); };
            var lines = ["patient,sample,collection_date,bam,vcf,timepoint"];
            inputs.draws.forEach(function (d) {
              var vcf = d.vcf ? d.vcf.path : "";
              lines.push([d.patient, d.sample, d.collection_date, d.bam.path, vcf, cell(d.timepoint)].join(","));
            });
            return lines.join("\n") + "\n";
          }
      - $(inputs.counts)
hints:
  SoftwareRequirement:
    packages:
      oligotrack:
        version: ["0.1.0"]
baseCommand: [oligotrack, track]
arguments:
  - {prefix: --samplesheet, valueFrom: samplesheet.csv}
  - {prefix: --threads, valueFrom: $(runtime.cores)}
  - {prefix: --out-dir, valueFrom: track}
  - --no-cache
  - {prefix: --counts-dir, valueFrom: $(runtime.outdir)}
inputs:
  counts:
    type: File[]
    format: edam:format_3464
    doc: the count step's outputs, one <sample>.count.json per draw
  draws:
    type: draw.yml#Draw[]
  panel:
    type: string?
    inputBinding: {prefix: --sites}
  site_files:
    type: File[]?
    inputBinding: {prefix: --sites}
  reference:
    type: File?
    doc: indexed FASTA that decodes reference-based CRAM draws
    secondaryFiles: [.fai, {pattern: .gzi, required: false}]
    inputBinding: {prefix: --reference}
  min_mapq:
    type: int
    default: 20
    inputBinding: {prefix: --min-mapq}
  min_baseq:
    type: int
    default: 20
    inputBinding: {prefix: --min-baseq}
outputs:
  timeline_dir:
    type: Directory
    outputBinding: {glob: track}
  timeline:
    type: File
    format: edam:format_3475
    outputBinding: {glob: track/timeline.tsv}
  multiqc:
    type: Directory
    doc: MultiQC custom-content files (`multiqc` finds oligotrack_*_mqc.json by name)
    outputBinding: {glob: track/multiqc}
