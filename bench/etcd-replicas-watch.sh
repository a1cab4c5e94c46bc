#!/usr/bin/env bash
# etcd-replicas-watch.sh [ROUNDS]: how long a change made through replica 0 takes to reach every one of
# STREAMS watch streams spread over TWO registry replicas on a 3-member etcd cluster (issue 13: 1,000
# streams, p99 <= 50 ms).
#
# Each round starts 3 etcd members and 2 fresh replicas (beacon.registry.store=etcd) and runs the
# WatchLatency client (module bench/, io.beacon.bench.watch.WatchLatency, Reactor Netty) twice: it
# opens STREAMS streams alternately on replica 0 and replica 1 (--watch-bases), makes CHANGES status
# changes through replica 0 at RATE a second and records the delay from just before each change
# request to each stream's complete event; the first pass meets replicas that never served a watch,
# the second the same replicas after WARMUP unmeasured changes. FIRST_PASS says when the first pass
# starts: `warmed` (default) once both replicas have logged the end of their background watch
# warm-up (beacon.registry.watch.warm-up; at once if it is off), `ready` as soon as both answer
# their health check (the warm-ups then run during the first changes). A change reaches replica 1's streams
# through etcd (replica 0 writes it, replica 1's prefix watch delivers it). Reported: p50/p99/max of
# all deliveries and of the last stream per change, overall and per replica (watch_base0_* /
# watch_base1_*), medians over the rounds.
# Where processes run: etcd and both replicas on SERVER_CPU, the client on LOAD_CPU (override with
# ETCD_CPUS / REPLICA_CPUS); the machine has 2 cores, shared by all of them. The client runs with a
# young generation big enough not to collect during a pass (CLIENT_JAVA_OPTS), as in watch-latency.sh.
#
# Env: ROUNDS (3), STREAMS (1000), CHANGES (200), RATE (10), WARMUP (50), FIRST_PASS (warmed), JAVA_OPTS (-Xmx512m),
#      CLIENT_JAVA_OPTS (-Xms2g -Xmn1536m -XX:+AlwaysPreTouch), BEACON_JAR, WORK (/tmp/beacon-bench),
#      QUIET_* (lib/common.sh), ports and CPUs: lib/etcd-replicas.sh.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$(readlink -f "$0")")/lib/common.sh"
# shellcheck source=lib/etcd-replicas.sh
source "$BENCH_HOME/lib/etcd-replicas.sh"

ROUNDS=${1:-${ROUNDS:-3}}
STREAMS=${STREAMS:-1000}
CHANGES=${CHANGES:-200}
RATE=${RATE:-10}
WARMUP=${WARMUP:-50}
FIRST_PASS=${FIRST_PASS:-warmed}
CLIENT_JAVA_OPTS=${CLIENT_JAVA_OPTS--Xms2g -Xmn1536m -XX:+AlwaysPreTouch}
WORK=${WORK:-/tmp/beacon-bench}
(( ROUNDS >= 1 && ROUNDS <= 10 )) || die "ROUNDS must be 1-10"
[[ $FIRST_PASS == warmed || $FIRST_PASS == ready ]] || die "FIRST_PASS must be warmed or ready"

require curl taskset awk timeout etcd /usr/bin/time
ensure_beacon_jar
ensure_bench_tools
RESULTS=$WORK/results/etcd-replicas-watch-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"
HZ=$(getconf CLK_TCK)

for (( r = 1; r <= ROUNDS; r++ )); do
  dir=$RESULTS/round-$r
  mkdir -p "$dir"
  quiet_wait
  log "round $r: starting 3 etcd members and 2 replicas"
  start_etcd_cluster "$dir"
  launch_replica 0 "$dir"; launch_replica 1 "$dir"
  for k in 0 1; do
    wait_http "$(replica_url "$k")/actuator/health" 180 "${REPLICA_PIDS[k]}" || die "replica $k not ready, see $dir/replica-$k.log"
  done
  if [[ $FIRST_PASS == warmed && $JAVA_OPTS != *watch.warm-up=false* ]]; then
    for k in 0 1; do
      for (( t = 0; t < 600; t++ )); do
        grep -q 'Watch path warmed up\|Warming up the watch path stopped' "$dir/replica-$k.log" && break
        sleep 0.1
      done
      grep -q 'Watch path warmed up\|Warming up the watch path stopped' "$dir/replica-$k.log" || die "replica $k did not log the end of its warm-up"
    done
    log "round $r: both replicas warmed up their watch path"
  fi
  for pass in first second; do
    warmup=0
    [[ $pass == second ]] && warmup=$WARMUP
    log "round $r: $pass pass, $STREAMS streams over 2 replicas, $CHANGES changes through replica 0 at $RATE/s after $warmup unmeasured"
    m0=$(machine_ticks); s0=$(proc_ticks "${ETCD_PIDS[@]}" "${REPLICA_PIDS[@]}")
    # shellcheck disable=SC2086
    taskset -c "$LOAD_CPU" timeout 600 /usr/bin/time -f 'client_cpu_s=%U+%S' -a -o "$dir/$pass.out" \
      "$JAVA" $CLIENT_JAVA_OPTS -Xlog:gc:file="$dir/$pass.client-gc.log" -cp "$BENCH_TOOLS_JAR" io.beacon.bench.watch.WatchLatency \
      --base "$(replica_url 0)" --watch-bases "$(replica_url 0),$(replica_url 1)" --streams "$STREAMS" \
      --changes "$CHANGES" --warmup "$warmup" --rate "$RATE" --details "$dir/$pass.per-change" >> "$dir/$pass.out" 2> "$dir/$pass.err" \
      || die "WatchLatency failed, see $dir/$pass.err"
    m1=$(machine_ticks); s1=$(proc_ticks "${ETCD_PIDS[@]}" "${REPLICA_PIDS[@]}")
    client=$(sed -n 's/^client_cpu_s=\(.*\)+\(.*\)$/\1 \2/p' "$dir/$pass.out" | awk -v hz="$HZ" '{ printf "%.0f", ($1 + $2) * hz }')
    {
      echo "servers_cpu_s=$(awk -v t=$(( s1 - s0 )) -v hz="$HZ" 'BEGIN { printf "%.2f", t / hz }')"
      awk -v a="$m0" -v b="$m1" -v own=$(( s1 - s0 + ${client:-0} )) 'BEGIN { split(a, x, " "); split(b, y, " ");
        t = y[2] - x[2]; f = (t > 0 ? 100 * (y[1] - x[1] - own) / t : 0); printf "foreign_cpu_pct=%.0f\n", (f < 0 ? 0 : f) }'
    } >> "$dir/$pass.out"
    { grep -E '^watch_(p99|all_streams_p99|missing|base[01]_all_streams_p99)|foreign' "$dir/$pass.out" || true; } | tr '\n' ' ' >&2; echo >&2
  done
  stop_replicas_and_cluster
done

{
  echo "# watch fan-out over 2 replicas on 3 etcd members, $ROUNDS round(s), $(date -u +%Y-%m-%dT%H:%MZ): $STREAMS streams (alternating replicas), $CHANGES changes through replica 0 at $RATE/s (first pass when $FIRST_PASS, second after $WARMUP unmeasured)"
  echo "# etcd x3: taskset -c $ETCD_CPUS; replicas: -c ${REPLICA_CPUS[*]} ($JAVA_OPTS); client: -c $LOAD_CPU ($CLIENT_JAVA_OPTS)"
  for pass in first second; do
    for k in watch_p50_ms watch_p99_ms watch_max_ms watch_all_streams_p50_ms watch_all_streams_p99_ms watch_all_streams_max_ms \
             watch_base0_p99_ms watch_base0_all_streams_p99_ms watch_base1_p99_ms watch_base1_all_streams_p99_ms \
             watch_missing watch_failed_streams servers_cpu_s foreign_cpu_pct; do
      vals=$(for f in "$RESULTS"/round-*/"$pass".out; do kv_of "$f" "$k"; done)
      printf '%-7s %-32s median %-9s runs %s\n' "$pass" "$k" "$(median <<< "$vals")" "$(echo $vals)"
    done
  done
} | tee "$RESULTS/summary.txt"
log "results in $RESULTS"
