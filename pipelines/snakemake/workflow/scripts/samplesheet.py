"""Write the oligotrack samplesheet (CSV) that `track` reads from the validated config/samples.tsv.

Paths become absolute: track resolves relative paths against the samplesheet's own directory,
which here is results/, not the directory the user wrote samples.tsv for.
"""
import csv
import os
import sys

COLUMNS = ["patient", "sample", "collection_date", "bam", "vcf", "timepoint", "therapy", "normal"]
PATH_COLUMNS = {"bam", "vcf", "normal"}

with open(snakemake.log[0], "w") as log:  # noqa: F821 (injected by Snakemake)
    sys.stderr = log
    with open(snakemake.input[0], newline="") as f:  # noqa: F821
        rows = [r for r in csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")]
    present = [c for c in COLUMNS if rows and c in rows[0]]
    rows = [{c: r[c] or "" for c in present} for r in rows]
    with open(snakemake.output[0], "w", newline="") as out:  # noqa: F821
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(present)
        for r in rows:
            writer.writerow([os.path.abspath(r[c]) if c in PATH_COLUMNS and r[c] else r[c] for c in present])
    print(f"{len(rows)} draws -> {snakemake.output[0]}", file=log)  # noqa: F821
