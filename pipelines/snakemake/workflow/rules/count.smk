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


# A draw's matched normal (samples.tsv `normal`), counted at the same sites under the name track
# reads from --counts-dir: <sample>.normal.count.json.
rule count_normal:
    input:
        bam=normal_of,
        bai=lambda wildcards: normal_of(wildcards) + ".bai",
        sites=SITE_FILES,
    output:
        "results/counts/{sample}.normal.count.json",
    log:
        "logs/count/{sample}.normal.log",
    benchmark:
        "benchmarks/count/{sample}.normal.tsv"
    threads: config["threads"]["count"]
    conda:
        "../envs/oligotrack.yaml"
    params:
        oligotrack=OLIGOTRACK,
        sites=SITES_ARGS,
        options=count_options(),
        name=lambda wildcards: f"{wildcards.sample}.normal",
    shell:
        "{params.oligotrack} count --bam {input.bam:q} --sites {params.sites} --sample {params.name:q}"
        " {params.options} --threads {threads} --format json --out {output:q} 2> {log:q}"
