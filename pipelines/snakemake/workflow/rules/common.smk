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
        row["_line"] = line
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


# An alignment file is a CRAM when its name says so (oligotrack itself tells them apart by their
# first bytes); the name decides which index the job waits for and whether it needs the reference.
def is_cram(path):
    return path.lower().endswith(".cram")


def index_of(path):
    """The index an alignment file needs beside it: <x>.bam.bai or <x>.cram.crai."""
    return f"{path}.crai" if is_cram(path) else f"{path}.bai"


# config: reference, the indexed FASTA that decodes reference-based CRAMs (empty: none given).
REFERENCE = config.get("reference", "")


def reference_inputs(paths):
    """The FASTA and its .fai as job inputs when any of `paths` is a CRAM and a reference is set."""
    if REFERENCE and any(is_cram(p) for p in paths):
        return [REFERENCE, f"{REFERENCE}.fai"]
    return []


def reference_option(paths):
    return f"--reference '{REFERENCE}'" if reference_inputs(paths) else ""


# Tissue VCFs (samples.tsv `vcf`) per patient: every distinct cell of the patient's rows, in table
# order, as `track` reads them (they apply to all of the patient's draws, so every count job of
# the patient counts them too, first, as track does).
TISSUE_VCFS = {}
for _row in (samples[s] for s in sorted(samples, key=lambda s: samples[s]["_line"])):
    if _row.get("vcf"):
        _list = TISSUE_VCFS.setdefault(_row["patient"], [])
        if _row["vcf"] not in _list:
            _list.append(_row["vcf"])


def tissue_vcfs_of(wildcards):
    return TISSUE_VCFS.get(samples[wildcards.sample]["patient"], [])


def sites_args_of(wildcards):
    """--sites of one draw's count job: the patient's tissue VCFs, then the configured sites."""
    return " ".join(f"--sites '{v}'" for v in tissue_vcfs_of(wildcards)) + f" --sites {SITES_ARGS}"


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
        "results/track/multiqc",
    ]
    if config.get("store"):
        outputs.append("results/store/ingested.tsv")
    if str(config.get("multiqc", False)).lower() == "true":
        outputs.append("results/multiqc/multiqc_report.html")
    return outputs
