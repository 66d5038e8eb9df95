rule classify:
    input:
        timeline="results/track/timeline.tsv",
        patients=expand("results/track/patients/{patient}.json", patient=PATIENTS),
        clinical=config["clinical"],
        imaging=config["imaging"],
        policy=[config["policy"]] if config.get("policy") else [],
    output:
        tsv="results/classification/classification.tsv",
        json="results/classification/classification.json",
    log:
        "logs/classify.log",
    benchmark:
        "benchmarks/classify.tsv"
    conda:
        "../envs/oligotrack.yaml"
    params:
        oligotrack=OLIGOTRACK,
        policy=lambda wildcards, input: f"--policy '{input.policy[0]}'" if input.policy else "",
        timeline=lambda wildcards, input: os.path.dirname(input.timeline),
        prior=(
            f"--between-draw-prior '{config['between_draw_prior']}'"
            if str(config.get("between_draw_prior", "")) != ""
            else ""
        ),
    shell:
        "{params.oligotrack} classify --timeline {params.timeline:q} --clinical {input.clinical:q}"
        " --imaging {input.imaging:q} {params.policy} {params.prior} --json {output.json:q} --out {output.tsv:q} 2> {log:q}"
