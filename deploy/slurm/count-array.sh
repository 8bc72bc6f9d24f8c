#!/usr/bin/env bash
# One shard of a counting run as a Slurm array task: every task counts every n-th recording.
#   export CAPUCHIN_RECORDINGS=/shared/recordings CAPUCHIN_OUT=/shared/capuchin-run
#   jid=$(sbatch --parsable --array=0-15 deploy/slurm/count-array.sh)
#   sbatch --dependency=afterok:$jid deploy/slurm/merge.sh
# Each task writes $CAPUCHIN_OUT/shard-<i>-of-<n> (an output set, see the README); a task exits 0 also when
# some files could not be decoded (count's exit 3: they are listed in that shard's errors.csv), so the
# merge still runs; any other failure fails the task. Rerunning a task resumes it; to rerun task i of n on its own
# (it failed, or was cancelled), say how many shards there are, since a one-task array has a task count of 1:
#   sbatch --array=i --export=ALL,CAPUCHIN_SHARDS=n deploy/slurm/count-array.sh
#SBATCH --job-name=capuchin-count
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=04:00:00
set -euo pipefail
: "${CAPUCHIN_RECORDINGS:?set CAPUCHIN_RECORDINGS to the folder of recordings}"
: "${CAPUCHIN_OUT:?set CAPUCHIN_OUT to a folder every node can write}"
: "${SLURM_ARRAY_TASK_ID:?run this as a Slurm array task (sbatch --array=0-N)}"
: "${SLURM_ARRAY_TASK_COUNT:?run this as a Slurm array task (sbatch --array=0-N)}"
cd "${CAPUCHIN_REPO:-${SLURM_SUBMIT_DIR:-.}}"
i=$SLURM_ARRAY_TASK_ID
n=${CAPUCHIN_SHARDS:-$SLURM_ARRAY_TASK_COUNT}
out="$CAPUCHIN_OUT/shard-$i-of-$n"
resume=()
if [ -d "$(dirname "$out")/.$(basename "$out").partial" ]; then resume=(--resume); fi
rc=0
npm run --silent count -- --data "$CAPUCHIN_RECORDINGS" --shard "$i/$n" --out "$out" \
  --workers "${SLURM_CPUS_PER_TASK:-2}" --no-review "${resume[@]}" ${CAPUCHIN_COUNT_ARGS:-} || rc=$?
if [ "$rc" -eq 3 ]; then
  echo "capuchin: shard $i/$n: some files could not be counted; see $out/errors.csv" >&2
  exit 0
fi
exit "$rc"
