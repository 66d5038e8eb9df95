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


# NOTE: track still counts the BAMs itself (it has no --counts-dir yet); the per-draw count jobs
# feed the cohort store. When track reads count JSONs, results/counts/ becomes its input here.
rule track:
    input:
        samplesheet="results/samplesheet.csv",
        bams=[samples[s]["bam"] for s in SAMPLES],
        sites=SITE_FILES,
    output:
        timeline="results/track/timeline.tsv",
        patients=expand("results/track/patients/{patient}.json", patient=PATIENTS),
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
        outdir=lambda wildcards, output: os.path.dirname(output.timeline),
    shell:
        "{params.oligotrack} track --samplesheet {input.samplesheet:q} --sites {params.sites} {params.options}"
        " --threads {threads} --no-cache --out-dir {params.outdir:q} 2> {log:q}"
