#!/usr/bin/env bash
# appender-ab.sh [ROUNDS]: the registry's heartbeat rate while it logs lapses and evictions, with two
# logging configurations side by side (A and B), interleaved round by round (A first in odd rounds).
#
# Each run starts the registry fresh (pinned to SERVER_CPU) with one configuration, starts a churn of
# short-lived instances beside it (io.beacon.bench.churn.LapseChurn, module bench/: CHURN_RATE new
# instances a second, each with a 1 s lease and no heartbeat, so each one logs its registration, its
# lapse and its eviction), and runs the shared harness's rest-heartbeat.sh against it (N instances,
# WARMUP s of warm-up, DURATION s measured, wrk on LOAD_CPU, as registry-vs-eureka.sh does). The churn
# runs on LOAD_CPU too. Reports per run the harness's figures and the lines the server logged, then
# the medians per configuration and the median of the per-round ratios B/A.
#
# Env: ROUNDS (3), A_NAME (jar-config), A_ARGS (none: the jar's own logback-spring.xml), B_NAME
#      (logback-async), B_ARGS (--logging.config=bench/logging/logback-async-appender.xml),
#      A_JAR / B_JAR (BEACON_JAR; BENCHMARKS.md says which build was A when BatchingAsyncAppender was measured),
#      N (10000), WARMUP (20), DURATION (20), CONNECTIONS (50), CHURN_RATE (500), PORT (18730),
#      JAVA_OPTS (-Xmx512m), WORK (/tmp/beacon-bench), SHARED_DIR (../shared), QUIET_* (lib/common.sh).
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$(readlink -f "$0")")/lib/common.sh"

ROUNDS=${1:-${ROUNDS:-3}}
A_NAME=${A_NAME:-jar-config}; A_ARGS=${A_ARGS:-}
B_NAME=${B_NAME:-logback-async}; B_ARGS=${B_ARGS:---logging.config=$BENCH_HOME/logging/logback-async-appender.xml}
A_JAR=${A_JAR:-$BEACON_JAR}; B_JAR=${B_JAR:-$BEACON_JAR}
export N=${N:-10000} WARMUP=${WARMUP:-20} DURATION=${DURATION:-20} CONNECTIONS=${CONNECTIONS:-50}
export SERVER_CPU LOAD_CPU
CHURN_RATE=${CHURN_RATE:-500}
PORT=${PORT:-18730}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
WORK=${WORK:-/tmp/beacon-bench}
(( ROUNDS >= 1 && ROUNDS <= 10 )) || die "ROUNDS must be 1-10"

require curl wrk taskset awk timeout
ensure_beacon_jar
ensure_bench_tools
BASE=http://127.0.0.1:$PORT
RESULTS=$WORK/results/appender-$(date -u +%Y%m%dT%H%M%SZ)
HARNESS=$RESULTS/harness
copy_harness "$HARNESS"

# run NAME JAR ARGS ROUND: one measured run
run() {
  local name=$1 jar=$2 args=$3 dir=$RESULTS/$1-$4 server churn
  mkdir -p "$dir"
  port_in_use "$PORT" && die "port $PORT is in use"
  quiet_wait
  log "round $4: $name ($jar $args)"
  # shellcheck disable=SC2086
  taskset -c "$SERVER_CPU" "$JAVA" $JAVA_OPTS -jar "$jar" --server.port="$PORT" $args > "$dir/server.log" 2>&1 &
  server=$!
  track_pid "$server"
  wait_http "$BASE/actuator/health" 180 "$server" || die "server not ready, see $dir/server.log"
  taskset -c "$LOAD_CPU" "$JAVA" -Xmx256m -cp "$BENCH_TOOLS_JAR" io.beacon.bench.churn.LapseChurn --base "$BASE" \
    --rate "$CHURN_RATE" --seconds $(( WARMUP + DURATION + 60 )) > "$dir/churn.out" 2> "$dir/churn.err" &
  churn=$!
  track_pid "$churn"
  env RUN_DIR="$dir/harness" LABEL="$name" BASE_URL="$BASE" SERVER_PID="$server" \
    REG_PATH_TEMPLATE='/v1/services/{service}/instances' REG_METHOD=POST \
    REG_BODY_TEMPLATE='{"instanceId":"{id}","host":"127.0.0.1","port":8080}' \
    HB_PATH_TEMPLATE='/v1/services/{service}/instances/{id}/heartbeat' HB_METHOD=PUT \
    "$HARNESS/bench/rest-heartbeat.sh" > "$dir/run.log" 2>&1 || die "harness failed, see $dir/run.log"
  stop_pid "$churn"
  stop_pid "$server"
  STARTED_PIDS=()
  {
    cat "$dir/harness/summary.txt"
    echo "log_lines=$(wc -l < "$dir/server.log")"
    echo "log_lapses=$(grep -c 'lapsed: no heartbeat' "$dir/server.log" || true)"
    echo "log_evictions=$(grep -c 'Evicted' "$dir/server.log" || true)"
  } > "$dir/summary.txt"
  grep -E '^heartbeat_(rps|p50_ms|p99_ms|server_cpu_us_per_req)=|^log_' "$dir/summary.txt" | tr '\n' ' ' >&2; echo >&2
}

for (( r = 1; r <= ROUNDS; r++ )); do
  if (( r % 2 )); then
    run "$A_NAME" "$A_JAR" "$A_ARGS" "$r"; run "$B_NAME" "$B_JAR" "$B_ARGS" "$r"
  else
    run "$B_NAME" "$B_JAR" "$B_ARGS" "$r"; run "$A_NAME" "$A_JAR" "$A_ARGS" "$r"
  fi
done

{
  echo "# $A_NAME vs $B_NAME, $ROUNDS round(s), $(date -u +%Y-%m-%dT%H:%MZ): N=$N WARMUP=${WARMUP}s DURATION=${DURATION}s CONNECTIONS=$CONNECTIONS, churn $CHURN_RATE short leases/s, $JAVA_OPTS"
  for k in heartbeat_rps heartbeat_p50_ms heartbeat_p99_ms heartbeat_p999_ms heartbeat_server_cpu_us_per_req \
           heartbeat_cpu${SERVER_CPU}_busy_pct log_lines log_lapses log_evictions; do
    for name in "$A_NAME" "$B_NAME"; do
      vals=$(for (( r = 1; r <= ROUNDS; r++ )); do kv_of "$RESULTS/$name-$r/summary.txt" "$k"; done)
      printf '%-34s %-9s median %-10s runs %s\n' "$k" "$name" "$(median <<< "$vals")" "$(echo $vals)"
    done
    ratios=$(for (( r = 1; r <= ROUNDS; r++ )); do
      awk -v a="$(kv_of "$RESULTS/$A_NAME-$r/summary.txt" "$k")" -v b="$(kv_of "$RESULTS/$B_NAME-$r/summary.txt" "$k")" \
        'BEGIN { if (a + 0 != 0) printf "%.3f\n", b / a }'; done)
    printf '%-34s %-9s median %-10s runs %s\n' "$k" "$B_NAME/$A_NAME" "$(median <<< "$ratios")" "$(echo $ratios)"
  done
} | tee "$RESULTS/summary.txt"
log "results in $RESULTS"
