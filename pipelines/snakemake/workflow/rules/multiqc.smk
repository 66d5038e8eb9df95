# Optional (config `multiqc: true`, or ask for it: `snakemake ... multiqc`): MultiQC over the
# custom-content files track wrote (oligotrack_*_mqc.json, found by name; no MultiQC plugin).
# A lab that runs MultiQC over its own QC can add results/track/multiqc to that run instead.
rule multiqc:
    input:
        "results/track/multiqc",
    output:
        report="results/multiqc/multiqc_report.html",
        data=directory("results/multiqc/multiqc_report_data"),
    log:
        "logs/multiqc.log",
    conda:
        "../envs/multiqc.yaml"
    params:
        outdir=lambda wildcards, output: os.path.dirname(output.report),
    shell:
        "multiqc --force --outdir {params.outdir:q} --filename multiqc_report.html {input:q} 2> {log:q}"
