# Every draw's counts go into the cohort store (config: store). The store lives outside results/ so
# it grows across runs: ingest is idempotent (a re-run adds nothing) and keeps history (changed
# settings add a version). Jobs ingest concurrently; the store's WAL and busy timeout queue them.
rule store_ingest:
    input:
        "results/counts/{sample}.count.json",
    output:
        "results/store/{sample}.ingest.tsv",
    log:
        "logs/store/{sample}.log",
    benchmark:
        "benchmarks/store/{sample}.tsv"
    conda:
        "../envs/oligotrack.yaml"
    params:
        oligotrack=OLIGOTRACK,
        store=config.get("store", ""),
    shell:
        "{params.oligotrack} store ingest --store {params.store:q} {input:q} > {output:q} 2> {log:q}"


rule store_summary:
    input:
        expand("results/store/{sample}.ingest.tsv", sample=SAMPLES),
    output:
        "results/store/ingested.tsv",
    log:
        "logs/store/summary.log",
    conda:
        "../envs/oligotrack.yaml"
    params:
        oligotrack=OLIGOTRACK,
        store=config.get("store", ""),
    shell:
        "{params.oligotrack} store list --store {params.store:q} > {output:q} 2> {log:q}"
