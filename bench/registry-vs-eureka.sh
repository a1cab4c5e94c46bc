#!/usr/bin/env bash
# registry-vs-eureka.sh [ROUNDS]: Beacon's registry server side by side with Netflix Eureka, with the
# WebFlux variant of its heartbeat path and with the ceiling, all under the shared harness
# (../shared/bench from the project root, copied at run time; nothing of it is kept in this repository).
#
# Targets (TARGETS, default all four, in an order that rotates from round to round):
#   beacon   the registry server jar (its raw Reactor Netty API)
#   eureka   the harness's Eureka 5.0.3 (eureka-heartbeat.sh)
#   webflux  the same heartbeat and registration on a Spring WebFlux functional endpoint over the
#            registry's core (io.beacon.bench.server.WebFluxHeartbeatServer, module bench/)
#   ceiling  a bare Reactor Netty server answering 204 to every request (BareNettyServer, bench/)
# Each run starts its server fresh (pinned to SERVER_CPU, load on LOAD_CPU), times its start until
# ready, registers N instances from curl (REG_PARALLEL connections), runs WARMUP s and then DURATION s
# of heartbeats with wrk, and (beacon, eureka) measures how long a deregistration takes to show. At
# the end it prints, for every figure, the median over the rounds per target and the medians of the
# per-round ratios to Beacon (each ratio from runs made in the same round, back to back).
#
# Env: ROUNDS (3), N (10000), DURATION (20), WARMUP (30), CONNECTIONS (50), BEACON_PORT (18700:
#      8700 is the server's default, but other work on a shared machine may hold it), BEACON_JAR,
#      JAVA_OPTS (-Xmx512m, for every server), BEACON_ARGS (extra arguments for the registry, e.g.
#      --logging.config=...), WORK (/tmp/beacon-bench), SHARED_DIR (../shared),
#      QUIET_* (see lib/common.sh), MAX_FOREIGN_PCT (10: a run during which other processes used
#      more than this share of the machine is repeated, at most RETRIES (2) times, then kept and
#      flagged), TARGETS ("beacon eureka webflux ceiling"; "beacon" alone to measure an older jar).
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$(readlink -f "$0")")/lib/common.sh"

ROUNDS=${1:-${ROUNDS:-3}}
export N=${N:-10000} DURATION=${DURATION:-20} WARMUP=${WARMUP:-30} CONNECTIONS=${CONNECTIONS:-50}
export SERVER_CPU LOAD_CPU
BEACON_PORT=${BEACON_PORT:-18700}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
WORK=${WORK:-/tmp/beacon-bench}
MAX_FOREIGN_PCT=${MAX_FOREIGN_PCT:-10}
RETRIES=${RETRIES:-2}
TARGETS=${TARGETS:-beacon eureka webflux ceiling}
BEACON_ARGS=${BEACON_ARGS:-}
WEBFLUX_PORT=${WEBFLUX_PORT:-18791}
CEILING_PORT=${CEILING_PORT:-18792}
read -r -a TARGET_LIST <<< "$TARGETS"
(( ROUNDS >= 1 && ROUNDS <= 20 )) || die "ROUNDS must be 1-20, got $ROUNDS"

require curl wrk jq taskset awk timeout mvn /usr/bin/time
ensure_beacon_jar
[[ " $TARGETS " == *" webflux "* || " $TARGETS " == *" ceiling "* ]] && ensure_bench_tools

stamp=$(date -u +%Y%m%dT%H%M%SZ)
HARNESS=$WORK/harness
RESULTS=$WORK/results/vs-eureka-$stamp
copy_harness "$HARNESS"
mkdir -p "$RESULTS"
log "harness copied to $HARNESS; results in $RESULTS"

# Build Eureka once, outside the measured runs (the harness would otherwise do it in the first one).
if [[ " $TARGETS " == *" eureka "* ]]; then
  (cd "$HARNESS/peers/eureka-server" && mvn -B -q -DskipTests package) || die "building Eureka failed"
fi

# the command of one harness run: target_cmd TARGET RUN_DIR
target_cmd() {
  case $1 in
    beacon)
      CMD=(env RUN_DIR="$2" LABEL=beacon BASE_URL="http://127.0.0.1:$BEACON_PORT"
        SERVER_CMD="$JAVA $JAVA_OPTS -jar $BEACON_JAR --server.port=$BEACON_PORT $BEACON_ARGS"
        READY_URL="http://127.0.0.1:$BEACON_PORT/actuator/health"
        REG_PATH_TEMPLATE='/v1/services/{service}/instances' REG_METHOD=POST
        REG_BODY_TEMPLATE='{"instanceId":"{id}","host":"127.0.0.1","port":8080}'
        HB_PATH_TEMPLATE='/v1/services/{service}/instances/{id}/heartbeat' HB_METHOD=PUT
        VIS_DELETE_PATH_TEMPLATE='/v1/services/{service}/instances/{id}'
        VIS_POLL_PATH_TEMPLATE='/v1/services/{service}' VIS_NEEDLE_TEMPLATE='"instanceId":"{id}"'
        EXTRA_FACTS="java=$("$JAVA" -version 2>&1 | head -1); java_opts=$JAVA_OPTS; jar=$(basename "$BEACON_JAR") $BEACON_ARGS"
        "$HARNESS/bench/rest-heartbeat.sh") ;;
    eureka)
      CMD=(env RUN_DIR="$2" JAVA="$JAVA" JAVA_OPTS="$JAVA_OPTS" "$HARNESS/bench/eureka-heartbeat.sh") ;;
    webflux|ceiling)
      local port=$WEBFLUX_PORT main=io.beacon.bench.server.WebFluxHeartbeatServer
      [[ $1 == ceiling ]] && { port=$CEILING_PORT; main=io.beacon.bench.server.BareNettyServer; }
      CMD=(env RUN_DIR="$2" LABEL="$1" BASE_URL="http://127.0.0.1:$port"
        SERVER_CMD="$JAVA $JAVA_OPTS -cp $BENCH_TOOLS_JAR $main --port $port"
        READY_URL="http://127.0.0.1:$port/actuator/health"
        REG_PATH_TEMPLATE='/v1/services/{service}/instances' REG_METHOD=POST
        REG_BODY_TEMPLATE='{"instanceId":"{id}","host":"127.0.0.1","port":8080}'
        HB_PATH_TEMPLATE='/v1/services/{service}/instances/{id}/heartbeat' HB_METHOD=PUT
        EXTRA_FACTS="java=$("$JAVA" -version 2>&1 | head -1); java_opts=$JAVA_OPTS; main=$main"
        "$HARNESS/bench/rest-heartbeat.sh") ;;
  esac
}

# measure TARGET ROUND: one run, repeated while other processes took too much of the machine
measure() {
  local target=$1 round=$2 attempt dir t0 t1 rc foreign
  for (( attempt = 0; attempt <= RETRIES; attempt++ )); do
    dir=$RESULTS/$target-$round
    (( attempt == 0 )) || dir+=".retry$attempt"
    mkdir -p "$dir"
    target_cmd "$target" "$dir"
    quiet_wait
    t0=$(machine_ticks)
    log "round $round: $target (attempt $(( attempt + 1 )))"
    rc=0
    /usr/bin/time -f '%e %U %S' -o "$dir/rusage" "${CMD[@]}" > "$dir/run.log" 2>&1 || rc=$?
    t1=$(machine_ticks)
    # CPU used by processes this run did not start, as a share of the whole machine
    foreign=$(awk -v a="$t0" -v b="$t1" -v hz="$(getconf CLK_TCK)" -v r="$(tail -1 "$dir/rusage")" 'BEGIN {
      split(a, x, " "); split(b, y, " "); split(r, u, " ");
      own = (u[2] + u[3]) * hz; busy = y[1] - x[1]; total = y[2] - x[2];
      f = (total > 0 ? 100 * (busy - own) / total : 0); if (f < 0) f = 0; printf "%.0f", f }')
    echo "foreign_cpu_pct=$foreign" >> "$dir/summary.txt"
    log "round $round: $target exit=$rc, other processes used ${foreign}% of the machine"
    if (( rc == 0 && foreign <= MAX_FOREIGN_PCT )); then
      break
    fi
    (( rc != 0 )) && log "run failed, see $dir/run.log"
  done
  echo "$dir" >> "$RESULTS/$target.runs"
}

# round r starts with target (r-1) mod T and goes round, so each target runs first in some round
for (( r = 1; r <= ROUNDS; r++ )); do
  for (( k = 0; k < ${#TARGET_LIST[@]}; k++ )); do
    measure "${TARGET_LIST[(r - 1 + k) % ${#TARGET_LIST[@]}]}" "$r"
  done
done

# --- summary ------------------------------------------------------------------
keys=(startup_ms register_rate_per_s rss_after_register_kb heartbeat_rps heartbeat_p50_ms heartbeat_p99_ms
      heartbeat_errors heartbeat_server_cpu_us_per_req heartbeat_wrk_cpu_pct heartbeat_cpu${LOAD_CPU}_busy_pct
      dereg_visibility_ms foreign_cpu_pct)
# values TARGET KEY: the KEY of each of TARGET's runs, one per line, in round order
values() { local d; while read -r d; do v=$(kv_of "$d/summary.txt" "$2"); echo "${v:-?}"; done < "$RESULTS/$1.runs"; }
{
  echo "# ${TARGETS// / vs }, $ROUNDS round(s), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, server on cpu$SERVER_CPU, load on cpu$LOAD_CPU"
  echo "# N=$N WARMUP=${WARMUP}s DURATION=${DURATION}s CONNECTIONS=$CONNECTIONS JAVA_OPTS=$JAVA_OPTS ($("$JAVA" -version 2>&1 | head -1))"
  for k in "${keys[@]}"; do
    for t in "${TARGET_LIST[@]}"; do
      mapfile -t vals < <(values "$t" "$k")
      printf '%-34s %-8s median %-10s runs %s\n' "$k" "$t" "$(printf '%s\n' "${vals[@]}" | median)" "${vals[*]}"
    done
  done
  [[ -f $RESULTS/beacon.runs ]] && echo "# per-round ratios of Beacon's figure to the other target's (median; runs)"
  [[ -f $RESULTS/beacon.runs ]] && for k in heartbeat_rps heartbeat_p99_ms heartbeat_server_cpu_us_per_req register_rate_per_s startup_ms; do
    mapfile -t b < <(values beacon "$k")
    for t in "${TARGET_LIST[@]}"; do
      [[ $t == beacon ]] && continue
      mapfile -t o < <(values "$t" "$k")
      ratios=()
      for (( i = 0; i < ${#b[@]} && i < ${#o[@]}; i++ )); do
        ratios+=("$(awk -v x="${b[i]}" -v y="${o[i]}" 'BEGIN { if (x + 0 == x && y + 0 == y && y != 0) printf "%.3f", x / y; else print "-" }')")
      done
      printf '%-34s beacon/%-8s median %-8s runs %s\n' "$k" "$t" "$(printf '%s\n' "${ratios[@]}" | median)" "${ratios[*]}"
    done
  done
} | tee "$RESULTS/comparison.txt"
log "comparison written to $RESULTS/comparison.txt"
