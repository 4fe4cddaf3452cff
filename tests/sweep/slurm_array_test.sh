#!/usr/bin/env bash
# A sweep as a real Slurm job array (docs/scale/sweep.sbatch) on a one-node
# cluster this script starts (munged, slurmctld, slurmd with a private
# config under a temporary directory) and stops again; the merged shards must
# equal a single-process run, timings aside. Labelled 'long'.
#   bash tests/sweep/slurm_array_test.sh path/to/detlite DATA_DIR
# Exits 77 (ctest: skipped) saying why when Slurm or munge is not installed
# (Debian: apt-get install slurm-wlm munge) or the daemons cannot start here.
set -euo pipefail
detlite="$(readlink -f "$1")"
data="$(readlink -f "${DETLITE_DATA_DIR:-$2}")"  # the environment overrides, as for every test
root="$(cd "$(dirname "$0")/../.." && pwd)"
skip() { echo "SKIPPED: $*"; exit 77; }
for tool in slurmctld slurmd sbatch squeue munged munge jq; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (apt-get install slurm-wlm munge jq)"
done
[ "$(id -u)" = 0 ] || skip "starting slurmd needs root"
work="$(mktemp -d /tmp/detlite_slurm_XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# munge: reuse a running munged, else start one (as the munge user).
if ! munge -n >/dev/null 2>&1; then
  [ -r /etc/munge/munge.key ] || skip "no /etc/munge/munge.key"
  mkdir -p /run/munge && chown munge:munge /run/munge
  runuser -u munge -- /usr/sbin/munged || skip "munged would not start"
  sleep 1
  pids+=("$(cat /run/munge/munged.pid)")
  munge -n >/dev/null || skip "munge does not work here"
fi

host="$(hostname)"
port=$((17000 + RANDOM % 2000))
mkdir -p "$work/state" "$work/spool" "$work/out"
export SLURM_CONF="$work/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=detlitetest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
SlurmctldPort=$port
SlurmdPort=$((port + 1))
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
EOF
# In the foreground (-D) as background jobs, so their pids are known exactly.
/usr/sbin/slurmctld -D -f "$SLURM_CONF" >/dev/null 2>&1 &
pids+=("$!")
sleep 1
/usr/sbin/slurmd -D -f "$SLURM_CONF" >/dev/null 2>&1 &
pids+=("$!")
sleep 2
kill -0 "${pids[-2]}" 2>/dev/null || skip "slurmctld would not start: $(tail -1 "$work/slurmctld.log")"
kill -0 "${pids[-1]}" 2>/dev/null || skip "slurmd would not start: $(tail -1 "$work/slurmd.log")"
sinfo -h >/dev/null || skip "sinfo cannot reach slurmctld"


cat >"$work/plan.json" <<EOF
{"models": [{"path": "$data/tflite/face_detection_short_range.tflite", "name": "face",
             "postprocess": {"anchors": "blazeface-short"}}],
 "quantization": ["float32", "float16", "dynamic", "int8"],
 "eval": {"dataset": "$data/datasets/widerface_val200_416", "max_images": 3},
 "latency": {"runs": 3, "warmup": 1},
 "calibration": {"data": "$data/datasets/coco_train2017_288/images", "size": 4, "threads": 1}}
EOF
cd "$work"
jid=$(DETLITE="$detlite" sbatch --parsable --array=1-2 --cpus-per-task=1 \
      "$root/docs/scale/sweep.sbatch" plan.json out)
echo "submitted array job $jid"
for _ in $(seq 1 240); do
  [ -z "$(squeue -h -j "$jid" 2>/dev/null)" ] && break
  sleep 1
done
[ -z "$(squeue -h -j "$jid")" ] || { echo "FAIL: job $jid still queued/running after 240 s"; exit 1; }
cat detlite-sweep-"$jid"_*.log
"$detlite" sweep merge out/shard-1 out/shard-2 -o out/all --json >/dev/null
"$detlite" sweep plan.json -o single --json >/dev/null
strip() { for f in "$1"/trials/*.json; do jq -S 'del(.timing)' "$f"; done; }
if [ "$(strip out/all)" != "$(strip single)" ] || [ "$(ls out/all/trials | wc -l)" != 4 ]; then
  echo "FAIL: the merged Slurm shards differ from one process"
  diff <(strip out/all) <(strip single) | head -20
  exit 1
fi
for f in single/models/*.tflite; do cmp "$f" "out/all/models/$(basename "$f")"; done
echo "PASS: 2 Slurm array tasks ran 4 trials; merged = single process (timings aside)"
