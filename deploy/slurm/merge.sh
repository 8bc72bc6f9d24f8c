#!/usr/bin/env bash
# Join the shards of deploy/slurm/count-array.sh into one set: $CAPUCHIN_OUT/merged (results.csv,
# detections.csv, errors.csv, warnings.csv, Raven tables). Fails unless every recording of the folder
# was processed by exactly one shard.
#SBATCH --job-name=capuchin-merge
#SBATCH --cpus-per-task=1
#SBATCH --mem=2G
#SBATCH --time=00:30:00
set -euo pipefail
: "${CAPUCHIN_RECORDINGS:?set CAPUCHIN_RECORDINGS to the folder of recordings}"
: "${CAPUCHIN_OUT:?set CAPUCHIN_OUT to the folder of the shard outputs}"
cd "${CAPUCHIN_REPO:-${SLURM_SUBMIT_DIR:-.}}"
shopt -s nullglob
shards=("$CAPUCHIN_OUT"/shard-*-of-*)
if [ "${#shards[@]}" -eq 0 ]; then echo "capuchin: no shard folders in $CAPUCHIN_OUT" >&2; exit 1; fi
npm run --silent merge -- --out "$CAPUCHIN_OUT/merged" --folder "$CAPUCHIN_RECORDINGS" "${shards[@]}"
