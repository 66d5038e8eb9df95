# One job per draw: Snakemake (or its cluster profile) spreads the samples; --threads splits one BAM.
# A draw may be a BAM (with .bai) or a CRAM (with .crai, decoded with config `reference`).
rule count:
    input:
        bam=bam_of,
        index=lambda wildcards: index_of(bam_of(wildcards)),
        reference=lambda wildcards: reference_inputs([bam_of(wildcards)]),
        sites=SITE_FILES,
        tissue=tissue_vcfs_of,
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
        sites=sites_args_of,
        options=count_options(),
        reference=lambda wildcards: reference_option([bam_of(wildcards)]),
    shell:
        "{params.oligotrack} count --bam {input.bam:q} {params.sites} --sample {wildcards.sample:q}"
        " {params.options} {params.reference} --threads {threads} --format json --out {output:q} 2> {log:q}"


# A draw's matched normal (samples.tsv `normal`), counted at the same sites under the name track
# reads from --counts-dir: <sample>.normal.count.json.
rule count_normal:
    input:
        bam=normal_of,
        index=lambda wildcards: index_of(normal_of(wildcards)),
        reference=lambda wildcards: reference_inputs([normal_of(wildcards)]),
        sites=SITE_FILES,
        tissue=tissue_vcfs_of,
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
        sites=sites_args_of,
        options=count_options(),
        reference=lambda wildcards: reference_option([normal_of(wildcards)]),
        name=lambda wildcards: f"{wildcards.sample}.normal",
    shell:
        "{params.oligotrack} count --bam {input.bam:q} {params.sites} --sample {params.name:q}"
        " {params.options} {params.reference} --threads {threads} --format json --out {output:q} 2> {log:q}"
