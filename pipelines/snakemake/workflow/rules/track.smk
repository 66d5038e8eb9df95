rule samplesheet:
    input:
        config["samples"],
    output:
        "results/samplesheet.csv",
    log:
        "logs/samplesheet.log",
    conda:
        "../envs/python.yaml"
    script:
        "../scripts/samplesheet.py"


# Every alignment track opens (draws and normals): it reads their headers to resolve the sites.
ALIGNMENTS = [samples[s]["bam"] for s in SAMPLES] + [samples[s]["normal"] for s in SAMPLES_WITH_NORMAL]


# track reads the count jobs' JSONs (--counts-dir) instead of counting again: every BAM is read
# once per run, by its own count job. It still opens each BAM's header (to resolve the sites to
# its contigs) and checks that every JSON was counted at the same sites with the same settings.
rule track:
    input:
        samplesheet="results/samplesheet.csv",
        bams=ALIGNMENTS,
        indexes=[index_of(p) for p in ALIGNMENTS],
        reference=reference_inputs(ALIGNMENTS),
        sites=SITE_FILES,
        tissue=sorted({v for vcfs in TISSUE_VCFS.values() for v in vcfs}),
        counts=expand("results/counts/{sample}.count.json", sample=SAMPLES),
        normal_counts=expand("results/counts/{sample}.normal.count.json", sample=SAMPLES_WITH_NORMAL),
    output:
        timeline="results/track/timeline.tsv",
        patients=expand("results/track/patients/{patient}.json", patient=PATIENTS),
        # MultiQC custom content (per-draw table, tumour fraction graph): `multiqc results/track/multiqc`.
        multiqc=directory("results/track/multiqc"),
    log:
        "logs/track.log",
    benchmark:
        "benchmarks/track.tsv"
    threads: config["threads"]["track"]
    conda:
        "../envs/oligotrack.yaml"
    params:
        oligotrack=OLIGOTRACK,
        sites=SITES_ARGS,
        options=count_options(),
        reference=reference_option(ALIGNMENTS),
        outdir=lambda wildcards, output: os.path.dirname(output.timeline),
        countsdir=lambda wildcards, input: os.path.dirname(input.counts[0]),
    shell:
        "{params.oligotrack} track --samplesheet {input.samplesheet:q} --sites {params.sites} {params.options}"
        " {params.reference} --threads {threads} --counts-dir {params.countsdir:q} --no-cache --out-dir {params.outdir:q} 2> {log:q}"
