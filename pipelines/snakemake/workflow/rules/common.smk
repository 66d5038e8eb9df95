import csv
import os

from snakemake.utils import validate


validate(config, schema="../schemas/config.schema.yaml")


def read_samples(path):
    """config/samples.tsv: one row per plasma draw, each validated (IDs, ISO dates) before any job runs."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader((line for line in f if line.strip() and not line.startswith("#")), delimiter="\t"))
    by_sample = {}
    for line, row in enumerate(rows, start=2):
        row = {k: v for k, v in row.items() if v not in (None, "")}
        try:
            validate(row, schema="../schemas/samples.schema.yaml")
        except Exception as e:
            raise ValueError(f"{path}: row {line}: {e}") from None
        if row["sample"] in by_sample:
            raise ValueError(f"{path}: row {line}: sample {row['sample']} appears twice")
        by_sample[row["sample"]] = row
    if not by_sample:
        raise ValueError(f"{path}: no samples")
    return by_sample


samples = read_samples(config["samples"])

SAMPLES = sorted(samples)
PATIENTS = sorted({row["patient"] for row in samples.values()})

# The CLI as one shell word list: "oligotrack" on PATH, or e.g. "node /repo/dist/cli/main.js".
OLIGOTRACK = config["oligotrack"]
# --sites arguments; files among them (not panel:NAME) are job inputs, so a changed file reruns.
SITES = config["sites"]
SITE_FILES = [s for s in SITES if not s.startswith("panel:")]
SITES_ARGS = " ".join(f"'{s}'" for s in SITES)

wildcard_constraints:
    sample="|".join(map(lambda s: s.replace(".", r"\."), SAMPLES)),
    patient="|".join(map(lambda s: s.replace(".", r"\."), PATIENTS)),


def bam_of(wildcards):
    return samples[wildcards.sample]["bam"]


# Draws with a matched normal: track reads the normal's counts as <sample>.normal.count.json.
SAMPLES_WITH_NORMAL = [s for s in SAMPLES if samples[s].get("normal")]


def normal_of(wildcards):
    return samples[wildcards.sample]["normal"]


def count_options():
    c = config["count"]
    return f"--min-mapq {c['min_mapq']} --min-baseq {c['min_baseq']} --mates {c['mates']}"


def all_outputs():
    outputs = [
        "results/classification/classification.tsv",
        "results/classification/classification.json",
        "results/report",
    ]
    if config.get("store"):
        outputs.append("results/store/ingested.tsv")
    return outputs
