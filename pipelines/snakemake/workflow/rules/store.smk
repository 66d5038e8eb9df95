# Every draw's counts go into the cohort store (config: store). The store lives outside results/ so
# it grows across runs: ingest is idempotent (a re-run adds nothing) and keeps history (changed
# settings add a version). One job ingests all draws (one transaction per draw); other pipelines may
# write to the same store at the same time (WAL and a busy timeout queue the writers).
rule store_ingest:
    input:
        expand("results/counts/{sample}.count.json", sample=SAMPLES),
    output:
        "results/store/ingested.tsv",
    log:
        "logs/store_ingest.log",
    benchmark:
        "benchmarks/store_ingest.tsv"
    conda:
        "../envs/oligotrack.yaml"
    params:
        oligotrack=OLIGOTRACK,
        store=config.get("store", ""),
    shell:
        "{params.oligotrack} store ingest --store {params.store:q} {input:q} > {output:q} 2> {log:q}"
