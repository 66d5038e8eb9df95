#!/usr/bin/env bash
# Snakemake runs this once after creating the conda env: installs the oligotrack CLI into it.
set -euo pipefail
npm install --global --prefix "$CONDA_PREFIX" oligotrack@0.1.0
