#!/usr/bin/env bash
# etcd-replicas-heartbeat.sh [ROUNDS]: heartbeats/s through TWO registry replicas on a 3-member etcd
# cluster (beacon.registry.store=etcd), side by side with etcd's own lease keep-alive rate (the shared
# harness's etcd-keepalive.sh, ../shared/bench from the project root, copied at run time), issue 13.
#
# Each round, in alternating order:
#   replicas  3 etcd members (fresh data dirs) and 2 registry replicas started here; N instances
#             registered, half through each replica (the one that registers an instance owns its
#             liveness); then two wrk processes at once, each renewing its half round-robin through
#             the REST API of "its" replica (the harness's lua/heartbeat.lua), CONNECTIONS/2 each:
#             WARMUP s unmeasured, then DURATION s measured. The etcd revision is read before and
#             after the measured load: heartbeats at the owning replica write nothing to etcd.
#   etcd      the harness's etcd-keepalive.sh: one etcd member, N leases, wrk (CONNECTIONS) renews
#             them round-robin through etcd's JSON gateway: what one etcd lease per instance costs.
# Where processes run (taskset), by default the same split for both targets: every server process
# (the 3 etcd members and both replicas; etcd alone) on SERVER_CPU, every load process (wrk) on
# LOAD_CPU. The machine has 2 cores: etcd, the replicas and the load share them.
# ETCD_CPUS, REPLICA_CPUS ("0 0"), WRK_CPUS ("1 1") move the replicas' side.
# Other people's processes: the CPU they used during each measured window is recorded
# (foreign_cpu_pct, share of the whole machine). Prints medians over the rounds and the median of
# the per-round ratios.
#
# Env: ROUNDS (3), N (10000), SERVICES (100), DURATION (20), WARMUP (10), CONNECTIONS (50),
#      ETCD_PORT/ETCD_PEER_PORT (23790/23800, etcd alone), see lib/etcd-replicas.sh for the
#      cluster's and replicas' ports, JAVA_OPTS (-Xmx512m), BEACON_JAR, WORK (/tmp/beacon-bench),
#      SHARED_DIR, QUIET_* (lib/common.sh).
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$(readlink -f "$0")")/lib/common.sh"
# shellcheck source=lib/etcd-replicas.sh
source "$BENCH_HOME/lib/etcd-replicas.sh"

ROUNDS=${1:-${ROUNDS:-3}}
N=${N:-10000}
SERVICES=${SERVICES:-100}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-50}
ETCD_PORT=${ETCD_PORT:-23790}
ETCD_PEER_PORT=${ETCD_PEER_PORT:-23800}
read -r -a WRK_CPUS <<< "${WRK_CPUS:-$LOAD_CPU $LOAD_CPU}"
WORK=${WORK:-/tmp/beacon-bench}
(( ROUNDS >= 1 && ROUNDS <= 10 )) || die "ROUNDS must be 1-10, got $ROUNDS"
(( N >= 2 && N <= 100000 )) || die "N must be 2-100000"
(( DURATION >= 1 && DURATION <= 300 && WARMUP >= 0 && WARMUP <= 300 )) || die "DURATION 1-300, WARMUP 0-300"
(( CONNECTIONS >= 2 && CONNECTIONS <= 1000 )) || die "CONNECTIONS must be 2-1000"

require curl wrk taskset awk timeout etcd etcdctl base64 /usr/bin/time
ensure_beacon_jar

stamp=$(date -u +%Y%m%dT%H%M%SZ)
HARNESS=$WORK/harness-etcd-replicas
RESULTS=$WORK/results/etcd-replicas-heartbeat-$stamp
copy_harness "$HARNESS"
mkdir -p "$RESULTS"
HZ=$(getconf CLK_TCK)
log "harness copied to $HARNESS; results in $RESULTS"

# wrk_pair DIR LABEL SECONDS: both wrk processes at once, each on its replica's half of the ids
wrk_pair() {
  local dir=$1 label=$2 secs=$3 k pids=()
  for k in 0 1; do
    HB_IDS_FILE=$dir/ids-$k.tsv HB_PATH_TEMPLATE='/v1/services/{service}/instances/{id}/heartbeat' HB_METHOD=PUT \
      HB_STATUS_CODES=1 timeout $(( secs + 60 )) /usr/bin/time -f '%e %U %S' -o "$dir/$label-$k.rusage" \
      taskset -c "${WRK_CPUS[k]}" wrk -t 1 -c $(( CONNECTIONS / 2 )) -d "${secs}s" --timeout 10s --latency \
      -s "$HARNESS/bench/lua/heartbeat.lua" "$(replica_url "$k")" > "$dir/$label-$k.wrk.txt" 2>&1 &
    pids+=("$!")
  done
  for k in 0 1; do wait "${pids[k]}" || log "$label: wrk $k exited with $? (see $dir/$label-$k.wrk.txt)"; done
}

# result_of FILE KEY: a key=value of the RESULT line wrk's lua script printed
result_of() { awk -v k="$2" '/^RESULT / { for (i = 2; i <= NF; i++) { split($i, p, "="); if (p[1] == k) print p[2] }; exit }' "$1" 2>/dev/null || true; }

# note KEY VALUE: one line of the run's summary (NOTE_FILE)
note() { printf '%s=%s\n' "$1" "$2" >> "$NOTE_FILE"; }

run_replicas() {
  local dir=$1 k reg pids=() t_reg m0 m1 rev0 rev1 e0 e1 r0 r1 wrk_ticks
  NOTE_FILE=$dir/summary.txt
  : > "$NOTE_FILE"
  note layout "etcd x3: taskset -c $ETCD_CPUS; replica 0: -c ${REPLICA_CPUS[0]}; replica 1: -c ${REPLICA_CPUS[1]}; wrk 0: -c ${WRK_CPUS[0]}; wrk 1: -c ${WRK_CPUS[1]}"
  note loadavg_before "$(cut -d' ' -f1-3 /proc/loadavg)"
  start_etcd_cluster "$dir"
  launch_replica 0 "$dir"; launch_replica 1 "$dir"
  for k in 0 1; do
    wait_http "$(replica_url "$k")/actuator/health" 180 "${REPLICA_PIDS[k]}" || die "replica $k not ready, see $dir/replica-$k.log"
  done
  note startup_ms $(( $(now_ms) - REPLICA_START_MS[0] ))
  ids_file "$dir/ids.tsv" "$N" "$SERVICES"
  split_ids "$dir/ids.tsv" "$dir/ids-0.tsv" "$dir/ids-1.tsv"
  t_reg=$(now_ms)
  for k in 0 1; do register_instances "$dir/ids-$k.tsv" "$k" "$dir" "register-$k" 25 > "$dir/register-$k.txt" & pids+=("$!"); done
  for k in 0 1; do wait "${pids[k]}" || true; done
  reg=$(( $(now_ms) - t_reg ))
  note register_ms "$reg"
  note register_rate_per_s "$(awk -v n="$N" -v ms="$reg" 'BEGIN { printf "%.0f", (ms > 0 ? n * 1000 / ms : 0) }')"
  note register_ok "$(awk '{ ok += $1; t += $2 } END { print ok "/" t }' "$dir/register-0.txt" "$dir/register-1.txt")"
  for k in 0 1; do
    note "smoke_heartbeat_$k" "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X PUT -H 'Content-Length: 0' \
      "$(replica_url "$k")/v1/services/$(awk 'NR == 2 { print $1 "/instances/" $2 }' "$dir/ids-$k.tsv")/heartbeat")"
  done
  if (( WARMUP > 0 )); then wrk_pair "$dir" warmup "$WARMUP"; fi
  rev0=$(etcd_revision)
  m0=$(machine_ticks); e0=$(proc_ticks "${ETCD_PIDS[@]}"); r0=$(proc_ticks "${REPLICA_PIDS[@]}")
  wrk_pair "$dir" heartbeat "$DURATION"
  m1=$(machine_ticks); e1=$(proc_ticks "${ETCD_PIDS[@]}"); r1=$(proc_ticks "${REPLICA_PIDS[@]}")
  rev1=$(etcd_revision)
  wrk_ticks=$(awk -v hz="$HZ" '{ t += ($2 + $3) * hz } END { printf "%.0f", t }' "$dir/heartbeat-0.rusage" "$dir/heartbeat-1.rusage")
  local rps=0 req=0 err=0 p50= p99= v
  for k in 0 1; do
    v=$(result_of "$dir/heartbeat-$k.wrk.txt" rps); note "heartbeat_rps_replica$k" "$v"
    rps=$(awk -v a="$rps" -v b="${v:-0}" 'BEGIN { printf "%.1f", a + b }')
    v=$(result_of "$dir/heartbeat-$k.wrk.txt" requests); req=$(( req + ${v:-0} ))
    v=$(result_of "$dir/heartbeat-$k.wrk.txt" errors); err=$(( err + ${v:-0} ))
    note "heartbeat_p50_ms_replica$k" "$(result_of "$dir/heartbeat-$k.wrk.txt" p50_ms)"
    note "heartbeat_p99_ms_replica$k" "$(result_of "$dir/heartbeat-$k.wrk.txt" p99_ms)"
    note "heartbeat_status_codes_replica$k" "$(result_of "$dir/heartbeat-$k.wrk.txt" status_codes)"
    p50=$(awk -v a="${p50:-0}" -v b="$(result_of "$dir/heartbeat-$k.wrk.txt" p50_ms)" 'BEGIN { print (b > a ? b : a) }')
    p99=$(awk -v a="${p99:-0}" -v b="$(result_of "$dir/heartbeat-$k.wrk.txt" p99_ms)" 'BEGIN { print (b > a ? b : a) }')
  done
  note heartbeat_rps "$rps"
  note heartbeat_requests "$req"
  note heartbeat_errors "$err"
  # the two wrk processes measure separately: the worse of their percentiles
  note heartbeat_p50_ms "$p50"
  note heartbeat_p99_ms "$p99"
  note etcd_revision_delta_during_load "$(( rev1 - rev0 )) ($rev0 -> $rev1)"
  note replicas_cpu_pct "$(awk -v t=$(( r1 - r0 )) -v hz="$HZ" -v d="$DURATION" 'BEGIN { printf "%.0f", 100 * t / hz / d }')"
  note etcd_cpu_pct "$(awk -v t=$(( e1 - e0 )) -v hz="$HZ" -v d="$DURATION" 'BEGIN { printf "%.0f", 100 * t / hz / d }')"
  note wrk_cpu_pct "$(awk -v t="$wrk_ticks" -v hz="$HZ" -v d="$DURATION" 'BEGIN { printf "%.0f", 100 * t / hz / d }')"
  note replicas_cpu_us_per_heartbeat "$(awk -v t=$(( r1 - r0 )) -v hz="$HZ" -v r="$req" 'BEGIN { printf "%.1f", (r > 0 ? 1e6 * t / hz / r : 0) }')"
  note foreign_cpu_pct "$(awk -v a="$m0" -v b="$m1" -v own=$(( e1 - e0 + r1 - r0 + wrk_ticks )) 'BEGIN {
    split(a, x, " "); split(b, y, " "); f = (y[2] > x[2] ? 100 * (y[1] - x[1] - own) / (y[2] - x[2]) : 0)
    printf "%.0f", (f < 0 ? 0 : f) }')"
  for k in 0 1; do note "instances_on_replica$k" "$(curl -s --max-time 10 "$(replica_url "$k")/v1/registry" | sed -n 's/.*"instances":\([0-9]*\).*/\1/p')"; done
  stop_replicas_and_cluster
}

run_etcd_alone() {
  local dir=$1 s=$1/summary.txt
  env RUN_DIR="$dir" PORT="$ETCD_PORT" PEER_PORT="$ETCD_PEER_PORT" N="$N" SERVICES="$SERVICES" DURATION="$DURATION" \
    WARMUP="$WARMUP" CONNECTIONS="$CONNECTIONS" SERVER_CPU="$SERVER_CPU" LOAD_CPU="$LOAD_CPU" \
    "$HARNESS/bench/etcd-keepalive.sh" > "$dir/run.log" 2>&1 || return 1
  # whole-core use on both cores minus etcd's and wrk's own, during the measured window
  printf 'foreign_cpu_pct=%s\n' "$(awk -v b0="$(kv_of "$s" "heartbeat_cpu${SERVER_CPU}_busy_pct")" \
    -v b1="$(kv_of "$s" "heartbeat_cpu${LOAD_CPU}_busy_pct")" -v srv="$(kv_of "$s" heartbeat_server_cpu_pct)" \
    -v w="$(kv_of "$s" heartbeat_wrk_cpu_pct)" 'BEGIN { f = (b0 - srv + b1 - w) / 2; printf "%.0f", (f < 0 ? 0 : f) }')" >> "$s"
  printf 'layout=etcd: taskset -c %s; wrk: -c %s\n' "$SERVER_CPU" "$LOAD_CPU" >> "$s"
}

measure() {
  local target=$1 round=$2 dir=$RESULTS/$1-$2
  mkdir -p "$dir"
  quiet_wait
  log "round $round: $target"
  if [[ $target == etcd ]]; then run_etcd_alone "$dir"; else run_replicas "$dir"; fi || log "run failed, see $dir"
  log "round $round: $target heartbeat_rps=$(kv_of "$dir/summary.txt" heartbeat_rps) foreign_cpu_pct=$(kv_of "$dir/summary.txt" foreign_cpu_pct)"
  echo "$dir" >> "$RESULTS/$target.runs"
}

for (( r = 1; r <= ROUNDS; r++ )); do
  if (( r % 2 )); then measure replicas "$r"; measure etcd "$r"; else measure etcd "$r"; measure replicas "$r"; fi
done

keys=(heartbeat_rps heartbeat_p50_ms heartbeat_p99_ms heartbeat_errors foreign_cpu_pct)
{
  echo "# 2 registry replicas on 3 etcd members vs etcd lease keep-alives alone, $ROUNDS round(s), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs"
  echo "# N=$N WARMUP=${WARMUP}s DURATION=${DURATION}s CONNECTIONS=$CONNECTIONS JAVA_OPTS=$JAVA_OPTS"
  echo "# replicas: $(kv_of "$(head -1 "$RESULTS/replicas.runs")/summary.txt" layout); etcd alone: $(kv_of "$(head -1 "$RESULTS/etcd.runs")/summary.txt" layout)"
  printf '%-22s %-34s %-34s %s\n' figure "2 replicas (median; runs)" "etcd alone (median; runs)" "ratio (median of per-round)"
  mapfile -t bdirs < "$RESULTS/replicas.runs"; mapfile -t edirs < "$RESULTS/etcd.runs"
  for k in "${keys[@]}"; do
    b=(); e=(); ratios=()
    for (( i = 0; i < ${#bdirs[@]}; i++ )); do
      bv=$(kv_of "${bdirs[i]}/summary.txt" "$k"); ev=$(kv_of "${edirs[i]}/summary.txt" "$k")
      b+=("${bv:-?}"); e+=("${ev:-?}")
      ratios+=("$(awk -v x="$bv" -v y="$ev" 'BEGIN { if (x + 0 == x && y + 0 == y && y != 0) printf "%.2f", x / y; else print "-" }')")
    done
    printf '%-22s %-34s %-34s %s\n' "$k" "$(printf '%s\n' "${b[@]}" | median) (${b[*]})" \
      "$(printf '%s\n' "${e[@]}" | median) (${e[*]})" "$(printf '%s\n' "${ratios[@]}" | median) (${ratios[*]})"
  done
  for k in register_rate_per_s etcd_revision_delta_during_load replicas_cpu_pct etcd_cpu_pct wrk_cpu_pct \
           replicas_cpu_us_per_heartbeat heartbeat_rps_replica0 heartbeat_rps_replica1; do
    vals=(); for d in "${bdirs[@]}"; do v=$(kv_of "$d/summary.txt" "$k"); vals+=("${v%% *}"); done
    printf 'replicas %-32s median %-10s runs %s\n' "$k" "$(printf '%s\n' "${vals[@]}" | median)" "${vals[*]}"
  done
  for k in register_rate_per_s heartbeat_server_cpu_pct heartbeat_wrk_cpu_pct heartbeat_server_cpu_us_per_req; do
    vals=(); for d in "${edirs[@]}"; do vals+=("$(kv_of "$d/summary.txt" "$k")"); done
    printf 'etcd     %-32s median %-10s runs %s\n' "$k" "$(printf '%s\n' "${vals[@]}" | median)" "${vals[*]}"
  done
} | tee "$RESULTS/comparison.txt"
log "comparison written to $RESULTS/comparison.txt"
