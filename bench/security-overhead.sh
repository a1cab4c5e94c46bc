#!/usr/bin/env bash
# security-overhead.sh [ROUNDS]: heartbeats per second of the registry with security off and on,
# side by side, with the shared harness (../shared/bench/rest-heartbeat.sh from the project root, copied at run time).
#
# Each round runs both, one after the other (the order alternates from round to round), each on a
# fresh server pinned to SERVER_CPU with wrk on LOAD_CPU: register N instances, WARMUP s and then
# DURATION s of heartbeats. With security on, one token with the register role registers every
# instance and sends every heartbeat (Authorization: Bearer, through the harness's REG_HEADERS and
# HB_HEADERS); the deregistration-visibility probe of the harness sends no headers, so it is left
# out for both. Prints the median of each and the median of the per-round ratios on/off.
#
# Env: ROUNDS (5), N (10000), DURATION (15), WARMUP (15), CONNECTIONS (50), BEACON_PORT (18700),
#      BEACON_JAR, JAVA_OPTS (-Xmx512m), WORK (/tmp/beacon-bench), SHARED_DIR (../shared from the project root).
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$(readlink -f "$0")")/lib/common.sh"

ROUNDS=${1:-${ROUNDS:-5}}
export N=${N:-10000} DURATION=${DURATION:-15} WARMUP=${WARMUP:-15} CONNECTIONS=${CONNECTIONS:-50}
export SERVER_CPU LOAD_CPU
BEACON_PORT=${BEACON_PORT:-18700}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
WORK=${WORK:-/tmp/beacon-bench}
(( ROUNDS >= 1 && ROUNDS <= 20 )) || die "ROUNDS must be 1-20, got $ROUNDS"

require curl wrk taskset awk timeout sha256sum
ensure_beacon_jar

stamp=$(date -u +%Y%m%dT%H%M%SZ)
HARNESS=$WORK/harness
RESULTS=$WORK/results/security-$stamp
copy_harness "$HARNESS"
mkdir -p "$RESULTS"
TOKEN=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
HASH=$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)
log "harness copied to $HARNESS; results in $RESULTS"

# run MODE ROUND: one harness run with security off or on
run() {
  local mode=$1 dir=$RESULTS/$1-$2 args=() reg_headers='Content-Type: application/json' hb_headers=
  if [[ $mode == on ]]; then
    args=("'--beacon.registry.security.enabled=true'" "'--beacon.registry.security.tokens[0].name=bench'"
      "'--beacon.registry.security.tokens[0].sha256=$HASH'" "'--beacon.registry.security.tokens[0].roles=register'")
    reg_headers+="|Authorization: Bearer $TOKEN"
    hb_headers="Authorization: Bearer $TOKEN"
  fi
  mkdir -p "$dir"
  log "round $2: security $mode"
  env RUN_DIR="$dir" LABEL="security-$mode" BASE_URL="http://127.0.0.1:$BEACON_PORT" \
    SERVER_CMD="$JAVA $JAVA_OPTS -jar $BEACON_JAR --server.port=$BEACON_PORT ${args[*]}" \
    READY_URL="http://127.0.0.1:$BEACON_PORT/actuator/health" \
    REG_PATH_TEMPLATE='/v1/services/{service}/instances' REG_METHOD=POST \
    REG_BODY_TEMPLATE='{"instanceId":"{id}","host":"127.0.0.1","port":8080}' REG_HEADERS="$reg_headers" \
    HB_PATH_TEMPLATE='/v1/services/{service}/instances/{id}/heartbeat' HB_METHOD=PUT HB_HEADERS="$hb_headers" \
    "$HARNESS/bench/rest-heartbeat.sh" > "$dir/run.log" 2>&1 || log "run failed, see $dir/run.log"
  echo "$dir" >> "$RESULTS/$mode.runs"
}

for (( r = 1; r <= ROUNDS; r++ )); do
  if (( r % 2 )); then run off "$r"; run on "$r"; else run on "$r"; run off "$r"; fi
done

keys=(heartbeat_rps heartbeat_p50_ms heartbeat_p99_ms heartbeat_errors heartbeat_server_cpu_us_per_req register_rate_per_s)
{
  echo "# Security off vs on, $ROUNDS round(s), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, server on cpu$SERVER_CPU, load on cpu$LOAD_CPU"
  echo "# N=$N WARMUP=${WARMUP}s DURATION=${DURATION}s CONNECTIONS=$CONNECTIONS JAVA_OPTS=$JAVA_OPTS; machine load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-34s %-36s %-36s %s\n' figure "off (median; runs)" "on (median; runs)" "on/off (median of per-round ratios)"
  mapfile -t offs < "$RESULTS/off.runs"; mapfile -t ons < "$RESULTS/on.runs"
  for k in "${keys[@]}"; do
    a=(); b=(); ratios=()
    for (( i = 0; i < ${#offs[@]}; i++ )); do
      av=$(kv_of "${offs[i]}/summary.txt" "$k"); bv=$(kv_of "${ons[i]}/summary.txt" "$k")
      a+=("${av:-?}"); b+=("${bv:-?}")
      ratios+=("$(awk -v x="$bv" -v y="$av" 'BEGIN { if (x + 0 == x && y + 0 == y && y != 0) printf "%.2f", x / y; else print "-" }')")
    done
    printf '%-34s %-36s %-36s %s\n' "$k" "$(printf '%s\n' "${a[@]}" | median) (${a[*]})" \
      "$(printf '%s\n' "${b[@]}" | median) (${b[*]})" "$(printf '%s\n' "${ratios[@]}" | median) (${ratios[*]})"
  done
} | tee "$RESULTS/comparison.txt"
log "comparison written to $RESULTS/comparison.txt"
