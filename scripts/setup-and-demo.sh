#!/usr/bin/env bash
# Quick start, step 1: install everything, then run the whole path on the bundled example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
npx tinygen demo
