# One job per draw: Snakemake (or its cluster profile) spreads the samples; --threads splits one BAM.
rule count:
    input:
        bam=bam_of,
        bai=lambda wildcards: bam_of(wildcards) + ".bai",
        sites=SITE_FILES,
    output:
        "results/counts/{sample}.count.json",
    log:
        "logs/count/{sample}.log",
    benchmark:
        "benchmarks/count/{sample}.tsv"
    threads: config["threads"]["count"]
    conda:
        "../envs/oligotrack.yaml"
    params:
        oligotrack=OLIGOTRACK,
        sites=SITES_ARGS,
        options=count_options(),
    shell:
        "{params.oligotrack} count --bam {input.bam:q} --sites {params.sites} --sample {wildcards.sample:q}"
        " {params.options} --threads {threads} --format json --out {output:q} 2> {log:q}"
