#!/usr/bin/env bash
# etcd-replica-restart.sh [RESTARTS]: how soon a restarted registry replica answers queries with all N
# instances kept in etcd (issue 13: N = 10,000 within 2 s).
#
# Starts 3 etcd members and 2 registry replicas (beacon.registry.store=etcd), registers N instances
# in one service (half through each replica, lease TTL 1 h so none lapses), checks that replica 0
# lists all N, then RESTARTS times: stops replica 1 (SIGTERM, waits for it to exit), starts it again
# and polls it from the moment it is started until `GET /v1/services/{service}?status=ALL` lists all
# N instances (one curl every POLL_MS, each answer counted). Reports per restart:
#   start_to_full_ms          process start -> first answer listing all N
#   started_to_full_ms        the replica's "Started ... in" log line (its timestamp) -> that answer
#   first_answer_to_full_ms   first HTTP answer of any kind on its port -> that answer (0: the very
#                             first answer already listed all N)
#   jvm_started_s             what Spring Boot says ("Started ... in S seconds")
# and the median of each. Polls run on LOAD_CPU, the replicas and etcd on SERVER_CPU (override with
# REPLICA_CPUS / ETCD_CPUS); the restarted replica shares its core with etcd and the other replica.
#
# Each round restarts the replica once per VARIANT, side by side: `jar` starts the executable jar as
# built; `cds` starts it extracted, with a class-data-sharing archive made once before the rounds by
# docker/cds-archive.sh (a training run against the same etcd cluster, as the Docker image does with
# the memory store), i.e. `java -XX:SharedArchiveFile=... -jar <extracted jar>`.
#
# Env: RESTARTS (3), VARIANTS ("jar cds"), N (10000), SERVICE (restart-bench), POLL_MS (20), JAVA_OPTS (-Xmx512m),
#      WORK (/tmp/beacon-bench), QUIET_* (lib/common.sh), ports and CPUs: lib/etcd-replicas.sh.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$(readlink -f "$0")")/lib/common.sh"
# shellcheck source=lib/etcd-replicas.sh
source "$BENCH_HOME/lib/etcd-replicas.sh"

RESTARTS=${1:-${RESTARTS:-3}}
N=${N:-10000}
SERVICE=${SERVICE:-restart-bench}
POLL_MS=${POLL_MS:-20}
read -r -a VARIANTS <<< "${VARIANTS:-jar cds}"
WORK=${WORK:-/tmp/beacon-bench}
(( RESTARTS >= 1 && RESTARTS <= 10 )) || die "RESTARTS must be 1-10, got $RESTARTS"
(( N >= 1 && N <= 100000 )) || die "N must be 1-100000"
(( POLL_MS >= 5 && POLL_MS <= 1000 )) || die "POLL_MS must be 5-1000"
[[ $SERVICE =~ ^[a-z0-9-]+$ ]] || die "SERVICE must be a plain service name"
for v in "${VARIANTS[@]}"; do [[ $v == jar || $v == cds ]] || die "VARIANTS are jar and cds, got $v"; done

require curl taskset awk timeout etcd base64 date
ensure_beacon_jar

RESULTS=$WORK/results/etcd-replica-restart-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"
log "results in $RESULTS"

# count_listed URL BODYFILE: HTTP code and the number of instances listed ("000 0" without an answer)
count_listed() {
  local code
  code=$(taskset -c "$LOAD_CPU" curl -s --max-time 2 -o "$2" -w '%{http_code}' -H 'Accept: application/json' "$1" 2>/dev/null) || code=${code:-000}
  if [[ $code == 200 ]]; then echo "$code $(grep -o '"instanceId"' "$2" | wc -l)"; else echo "${code:-000} 0"; fi
}

# started_epoch_ms LOGFILE: epoch ms of the newest "Started ... in" line (Boot's ISO timestamp), or empty
started_epoch_ms() {
  local line ts
  line=$(grep -a 'Started .* in [0-9.]* seconds' "$1" | tail -1) || return 0
  ts=${line%% *}
  [[ -n $ts ]] && date -u -d "$ts" +%s%3N 2>/dev/null || true
}

# measure_restart K LABEL: restarts replica K and polls it; writes restart-LABEL.txt
measure_restart() {
  local k=$1 r=$2 url body out t0 now first= full= code=000 count=0 deadline restart_log lines m0 m1 o0 o1
  local f=$RESULTS/restart-$2.txt
  url="$(replica_url "$k")/v1/services/$SERVICE?status=ALL"
  body=$RESULTS/poll.body
  log "restart $r: stopping replica $k"
  stop_replica "$k"
  quiet_wait
  lines=$(wc -l < "$RESULTS/replica-$k.log")
  m0=$(machine_ticks); o0=$(proc_ticks "${ETCD_PIDS[@]}" "${REPLICA_PIDS[@]}")
  launch_replica "$k" "$RESULTS"
  t0=${REPLICA_START_MS[k]}
  deadline=$(( t0 + 180000 ))
  while :; do
    now=$(now_ms)
    (( now < deadline )) || die "replica $k did not list $N instances within 180 s (last: $code $count)"
    pid_alive "${REPLICA_PIDS[k]}" || die "replica $k exited, see $RESULTS/replica-$k.log"
    out=$(count_listed "$url" "$body"); code=${out% *}; count=${out#* }
    now=$(now_ms)
    [[ -z $first && $code != 000 ]] && first=$now && printf 'first_answer=%s HTTP %s, %s instances\n' $(( first - t0 )) "$code" "$count" >> "$f"
    if [[ $code == 200 ]] && (( count == N )); then full=$now; break; fi
    sleep "$(awk -v ms="$POLL_MS" 'BEGIN { printf "%.3f", ms / 1000 }')"
  done
  m1=$(machine_ticks); o1=$(proc_ticks "${ETCD_PIDS[@]}" "${REPLICA_PIDS[@]}")
  restart_log=$RESULTS/replica-$k.restart-$r.log
  tail -n +"$(( lines + 1 ))" "$RESULTS/replica-$k.log" > "$restart_log"
  local started jvm
  started=$(started_epoch_ms "$restart_log")
  jvm=$(grep -ao 'Started [A-Za-z0-9_]* in [0-9.]* seconds' "$restart_log" | tail -1 | awk '{ print $4 }')
  {
    echo "start_to_full_ms=$(( full - t0 ))"
    [[ -n $started ]] && echo "started_to_full_ms=$(( full - started ))"
    echo "first_answer_to_full_ms=$(( full - first ))"
    echo "jvm_started_s=$jvm"
    echo "instances_listed=$count"
    # from the restart to the full answer: the whole machine's busy share, and that of everything
    # but etcd and the replicas (other people's processes, and this script's polls)
    awk -v a="$m0" -v b="$m1" -v own=$(( o1 - o0 )) 'BEGIN { split(a, x, " "); split(b, y, " ");
      t = y[2] - x[2]; f = (t > 0 ? 100 * (y[1] - x[1] - own) / t : 0)
      printf "machine_busy_pct=%.0f\nforeign_cpu_pct=%.0f\n", (t > 0 ? 100 * (y[1] - x[1]) / t : 0), (f < 0 ? 0 : f) }'
  } >> "$f"
  log "restart $r: $(tr '\n' ' ' < "$f")"
}

start_etcd_cluster "$RESULTS"
launch_replica 0 "$RESULTS"; launch_replica 1 "$RESULTS"
for k in 0 1; do
  wait_http "$(replica_url "$k")/actuator/health" 180 "${REPLICA_PIDS[k]}" || die "replica $k not ready, see $RESULTS/replica-$k.log"
done
awk -v n="$N" -v s="$SERVICE" 'BEGIN { print "service\tid"; for (i = 0; i < n; i++) printf "%s\tinst-%05d\n", s, i }' > "$RESULTS/ids.tsv"
split_ids "$RESULTS/ids.tsv" "$RESULTS/ids-0.tsv" "$RESULTS/ids-1.tsv"
t_reg=$(now_ms)
pids=()
for k in 0 1; do register_instances "$RESULTS/ids-$k.tsv" "$k" "$RESULTS" "register-$k" 25 > "$RESULTS/register-$k.txt" & pids+=("$!"); done
for k in 0 1; do wait "${pids[k]}" || true; done
log "registered $(awk '{ ok += $1; t += $2 } END { print ok "/" t }' "$RESULTS/register-0.txt" "$RESULTS/register-1.txt") in $(( $(now_ms) - t_reg )) ms"
out=$(count_listed "$(replica_url 0)/v1/services/$SERVICE?status=ALL" "$RESULTS/poll.body")
[[ ${out#* } == "$N" ]] || die "replica 0 lists ${out#* } instances, not $N"
log "replica 0 lists all $N instances"

if [[ " ${VARIANTS[*]} " == *" cds "* ]]; then
  log "making the class-data-sharing archive (training run against the cluster)"
  bash "$REPO_DIR/docker/cds-archive.sh" "$BEACON_JAR" "$RESULTS/cds" --server.port=0 --beacon.registry.store=etcd \
    --beacon.registry.etcd.endpoints="$(etcd_endpoints)" > "$RESULTS/cds-training.log" 2>&1 \
    || die "making the CDS archive failed, see $RESULTS/cds-training.log"
fi
for (( r = 1; r <= RESTARTS; r++ )); do
  for v in "${VARIANTS[@]}"; do
    if [[ $v == cds ]]; then
      REPLICA_JAR=$RESULTS/cds/$(basename "$BEACON_JAR") REPLICA_JVM_OPTS="-XX:SharedArchiveFile=$RESULTS/cds/app.jsa"
    else
      REPLICA_JAR=$BEACON_JAR REPLICA_JVM_OPTS=
    fi
    measure_restart 1 "$r-$v"
  done
done
REPLICA_JAR=$BEACON_JAR REPLICA_JVM_OPTS=
out=$(count_listed "$(replica_url 0)/v1/services/$SERVICE?status=ALL" "$RESULTS/poll.body")
log "replica 0 still lists ${out#* } instances"

{
  echo "# restarted replica serving $N instances from etcd, $RESTARTS restart(s), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs"
  echo "# replicas: taskset -c ${REPLICA_CPUS[*]}, etcd x3: -c $ETCD_CPUS, polls: -c $LOAD_CPU every ${POLL_MS} ms; JAVA_OPTS=$JAVA_OPTS"
  for v in "${VARIANTS[@]}"; do
    for key in start_to_full_ms started_to_full_ms first_answer_to_full_ms jvm_started_s machine_busy_pct foreign_cpu_pct; do
      vals=$(for f in "$RESULTS"/restart-*-"$v".txt; do kv_of "$f" "$key"; done)
      printf '%-4s %-26s median %-8s runs %s\n' "$v" "$key" "$(median <<< "$vals")" "$(echo $vals)"
    done
    grep -h '^first_answer=' "$RESULTS"/restart-*-"$v".txt | sed "s/^/$v first answer after start (ms): /"
  done
} | tee "$RESULTS/summary.txt"
log "results in $RESULTS"
