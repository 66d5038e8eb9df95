rule report:
    input:
        patients=expand("results/track/patients/{patient}.json", patient=PATIENTS),
        classification="results/classification/classification.json",
        clinical=config["clinical"],
        imaging=config["imaging"],
    output:
        directory("results/report"),
    log:
        "logs/report.log",
    benchmark:
        "benchmarks/report.tsv"
    conda:
        "../envs/oligotrack.yaml"
    params:
        oligotrack=OLIGOTRACK,
        track=lambda wildcards, input: os.path.dirname(os.path.dirname(input.patients[0])),
    shell:
        "{params.oligotrack} report --in {params.track:q} --classification {input.classification:q}"
        " --clinical {input.clinical:q} --imaging {input.imaging:q} --out-dir {output:q} 2> {log:q}"
