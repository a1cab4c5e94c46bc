#!/usr/bin/env bash
# etcd-store.sh [ROUNDS]: heartbeats/s of the registry on its etcd store (beacon.registry.store=etcd),
# side by side with etcd's own lease keep-alive rate, with the shared harness (../shared/bench from the project root,
# copied at run time).
#
# Each round, in alternating order:
#   etcd    the harness's etcd-keepalive.sh: one etcd member, N leases, wrk renews them round-robin
#           through etcd's JSON gateway (what a registry keeping one etcd lease per instance would cost)
#   beacon  one etcd member started here (pinned to SERVER_CPU, fresh data dir), the registry jar on it
#           with --beacon.registry.store=etcd (pinned to SERVER_CPU as well), N instances registered,
#           then the harness's rest-heartbeat.sh: wrk renews them round-robin through the REST API
# The server side (etcd, and the registry with it) always has the one SERVER_CPU; load runs on LOAD_CPU.
# Prints for each figure the median over the rounds and the median of the per-round ratios.
#
# Env: ROUNDS (3), N (10000), DURATION (20), WARMUP (10), CONNECTIONS (50), BEACON_PORT (18720),
#      ETCD_PORT (23790), ETCD_PEER_PORT (23800), JAVA_OPTS (-Xmx512m), BEACON_JAR, WORK (/tmp/beacon-bench),
#      SHARED_DIR (../shared from the project root), QUIET_* (see lib/common.sh).
# shellcheck source=lib/common.sh
source "$(dirname "$(readlink -f "$0")")/lib/common.sh"

ROUNDS=${1:-${ROUNDS:-3}}
export N=${N:-10000} DURATION=${DURATION:-20} WARMUP=${WARMUP:-10} CONNECTIONS=${CONNECTIONS:-50}
export SERVER_CPU LOAD_CPU
BEACON_PORT=${BEACON_PORT:-18720}
ETCD_PORT=${ETCD_PORT:-23790}
ETCD_PEER_PORT=${ETCD_PEER_PORT:-23800}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
WORK=${WORK:-/tmp/beacon-bench}
(( ROUNDS >= 1 && ROUNDS <= 20 )) || die "ROUNDS must be 1-20, got $ROUNDS"

require curl wrk taskset awk timeout etcd etcdctl
ensure_beacon_jar

stamp=$(date -u +%Y%m%dT%H%M%SZ)
HARNESS=$WORK/harness
RESULTS=$WORK/results/etcd-store-$stamp
copy_harness "$HARNESS"
mkdir -p "$RESULTS"
log "harness copied to $HARNESS; results in $RESULTS"

run_etcd_alone() {
  local dir=$1
  env RUN_DIR="$dir" PORT="$ETCD_PORT" PEER_PORT="$ETCD_PEER_PORT" "$HARNESS/bench/etcd-keepalive.sh" \
    > "$dir/run.log" 2>&1
}

run_beacon_on_etcd() {
  local dir=$1 data etcd_pid rc=0
  data=$(mktemp -d "${TMPDIR:-/tmp}/beacon-etcd-store.XXXXXX")
  taskset -c "$SERVER_CPU" etcd --data-dir "$data" --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "default=http://127.0.0.1:$ETCD_PEER_PORT" > "$dir/etcd.log" 2>&1 &
  etcd_pid=$!
  wait_http "http://127.0.0.1:$ETCD_PORT/health" 30 "$etcd_pid" || die "etcd did not start, see $dir/etcd.log"
  env RUN_DIR="$dir" LABEL=beacon-etcd BASE_URL="http://127.0.0.1:$BEACON_PORT" \
    SERVER_CMD="$JAVA $JAVA_OPTS -jar $BEACON_JAR --server.port=$BEACON_PORT --beacon.registry.store=etcd --beacon.registry.etcd.endpoints=http://127.0.0.1:$ETCD_PORT" \
    READY_URL="http://127.0.0.1:$BEACON_PORT/actuator/health" \
    REG_PATH_TEMPLATE='/v1/services/{service}/instances' REG_METHOD=POST \
    REG_BODY_TEMPLATE='{"instanceId":"{id}","host":"127.0.0.1","port":8080,"leaseTtlSeconds":3600}' \
    HB_PATH_TEMPLATE='/v1/services/{service}/instances/{id}/heartbeat' HB_METHOD=PUT \
    "$HARNESS/bench/rest-heartbeat.sh" > "$dir/run.log" 2>&1 || rc=$?
  kill "$etcd_pid" 2>/dev/null || true
  wait "$etcd_pid" 2>/dev/null || true
  rm -rf "$data"
  return $rc
}

measure() {
  local target=$1 round=$2 dir=$RESULTS/$1-$2
  mkdir -p "$dir"
  quiet_wait
  log "round $round: $target"
  if [[ $target == etcd ]]; then run_etcd_alone "$dir"; else run_beacon_on_etcd "$dir"; fi \
    || log "run failed, see $dir/run.log"
  echo "$dir" >> "$RESULTS/$target.runs"
}

for (( r = 1; r <= ROUNDS; r++ )); do
  if (( r % 2 )); then measure beacon "$r"; measure etcd "$r"; else measure etcd "$r"; measure beacon "$r"; fi
done

keys=(heartbeat_rps heartbeat_p50_ms heartbeat_p99_ms heartbeat_errors)
{
  echo "# Beacon on etcd vs etcd lease keep-alives, $ROUNDS round(s), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, server on cpu$SERVER_CPU, load on cpu$LOAD_CPU"
  echo "# N=$N WARMUP=${WARMUP}s DURATION=${DURATION}s CONNECTIONS=$CONNECTIONS JAVA_OPTS=$JAVA_OPTS"
  printf '%-22s %-30s %-30s %s\n' figure "beacon-on-etcd (median; runs)" "etcd alone (median; runs)" "ratio (median of per-round)"
  mapfile -t bdirs < "$RESULTS/beacon.runs"; mapfile -t edirs < "$RESULTS/etcd.runs"
  for k in "${keys[@]}"; do
    b=(); e=(); ratios=()
    for (( i = 0; i < ${#bdirs[@]}; i++ )); do
      bv=$(kv_of "${bdirs[i]}/summary.txt" "$k"); ev=$(kv_of "${edirs[i]}/summary.txt" "$k")
      b+=("${bv:-?}"); e+=("${ev:-?}")
      ratios+=("$(awk -v x="$bv" -v y="$ev" 'BEGIN { if (x + 0 == x && y + 0 == y && y != 0) printf "%.2f", x / y; else print "-" }')")
    done
    printf '%-22s %-30s %-30s %s\n' "$k" "$(printf '%s\n' "${b[@]}" | median) (${b[*]})" \
      "$(printf '%s\n' "${e[@]}" | median) (${e[*]})" "$(printf '%s\n' "${ratios[@]}" | median) (${ratios[*]})"
  done
} | tee "$RESULTS/comparison.txt"
log "comparison written to $RESULTS/comparison.txt"
