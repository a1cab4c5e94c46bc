#!/usr/bin/env bash
# watch-latency.sh [ROUNDS]: how long a change takes to reach every one of STREAMS open watch streams.
#
# Each round starts a fresh server (pinned to SERVER_CPU) and runs the WatchLatency client (module
# bench/, io.beacon.bench.watch.WatchLatency, on Reactor Netty; pinned to LOAD_CPU) twice against it:
# the first pass meets a server that has never served a watch stream, the second the same server once
# warm. Each pass opens STREAMS streams, makes CHANGES status
# changes at RATE a second and reports p50/p99/max of the delay from the change request to each
# stream's event, and of the delay to the last stream of each change. Prints the median over the
# rounds of every figure, per pass.
#
# The client is the measuring instrument, one JVM holding all the streams (real watchers are separate
# processes): CLIENT_JAVA_OPTS gives it a young generation big enough that it does not collect during
# a pass, so its own GC pauses (100-200 ms with the defaults, each delaying every stream at once) are
# not counted as the server's, and in the second pass it makes WARMUP unmeasured changes first, so
# its own code is compiled before measuring starts. The server runs with JAVA_OPTS only.
#
# Env: ROUNDS (3), STREAMS (1000), CHANGES (200), RATE (10), WARMUP (50), PORT (18720),
#      JAVA_OPTS (-Xmx512m), CLIENT_JAVA_OPTS (-Xms2g -Xmn1536m -XX:+AlwaysPreTouch),
#      BEACON_JAR, WORK (/tmp/beacon-bench), QUIET_* (see lib/common.sh).
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$(readlink -f "$0")")/lib/common.sh"

ROUNDS=${1:-${ROUNDS:-3}}
STREAMS=${STREAMS:-1000}
CHANGES=${CHANGES:-200}
RATE=${RATE:-10}
WARMUP=${WARMUP:-50}
CLIENT_JAVA_OPTS=${CLIENT_JAVA_OPTS--Xms2g -Xmn1536m -XX:+AlwaysPreTouch}
PORT=${PORT:-18720}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
WORK=${WORK:-/tmp/beacon-bench}
(( ROUNDS >= 1 && ROUNDS <= 10 )) || die "ROUNDS must be 1-10"

require curl taskset awk timeout
ensure_beacon_jar
ensure_bench_tools
BASE=http://127.0.0.1:$PORT
RESULTS=$WORK/results/watch-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

for (( r = 1; r <= ROUNDS; r++ )); do
  dir=$RESULTS/round-$r
  mkdir -p "$dir"
  port_in_use "$PORT" && die "port $PORT is in use"
  quiet_wait
  log "round $r: starting the server"
  taskset -c "$SERVER_CPU" "$JAVA" $JAVA_OPTS -Xlog:gc:file="$dir/server-gc.log" -jar "$BEACON_JAR" --server.port="$PORT" > "$dir/server.log" 2>&1 &
  server=$!
  track_pid "$server"
  wait_http "$BASE/actuator/health" 180 "$server" || die "server not ready, see $dir/server.log"
  for pass in first second; do
    warmup=0
    [[ $pass == second ]] && warmup=$WARMUP
    log "round $r: $pass pass, $STREAMS streams, $CHANGES changes at $RATE/s after $warmup unmeasured"
    t0=$(cpu_ticks "$server")
    taskset -c "$LOAD_CPU" timeout 600 /usr/bin/time -f 'client_cpu_s=%U+%S' -a -o "$dir/$pass.out" \
      "$JAVA" $CLIENT_JAVA_OPTS -Xlog:gc:file="$dir/$pass.client-gc.log" -cp "$BENCH_TOOLS_JAR" io.beacon.bench.watch.WatchLatency \
      --base "$BASE" --streams "$STREAMS" --changes "$CHANGES" --warmup "$warmup" --rate "$RATE" --details "$dir/$pass.per-change" >> "$dir/$pass.out" 2> "$dir/$pass.err" \
      || die "WatchLatency failed, see $dir/$pass.err"
    echo "server_cpu_s=$(awk -v t=$(( $(cpu_ticks "$server") - t0 )) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }')" \
      >> "$dir/$pass.out"
    grep -E '^watch_(p50|p99|max|all_streams|missing)|cpu_s' "$dir/$pass.out" | tr '\n' ' ' >&2; echo >&2
  done
  stop_pid "$server"
  STARTED_PIDS=()
done

{
  echo "# watch fan-out, $ROUNDS round(s), $(date -u +%Y-%m-%dT%H:%MZ): $STREAMS streams, $CHANGES changes at $RATE/s (second pass after $WARMUP unmeasured), server $JAVA_OPTS, client $CLIENT_JAVA_OPTS ($("$JAVA" -version 2>&1 | head -1))"
  for pass in first second; do
    for k in watch_p50_ms watch_p99_ms watch_max_ms watch_all_streams_p50_ms watch_all_streams_p99_ms \
             watch_all_streams_max_ms watch_missing server_cpu_s; do
      vals=$(for f in "$RESULTS"/round-*/"$pass".out; do kv_of "$f" "$k"; done)
      printf '%-7s %-26s median %-9s runs %s\n' "$pass" "$k" "$(median <<< "$vals")" "$(echo $vals)"
    done
  done
} | tee "$RESULTS/summary.txt"
log "results in $RESULTS"
