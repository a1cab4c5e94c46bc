# etcd-replicas.sh: a 3-member etcd cluster and registry replicas on it, for the benchmark scripts
# (source it after common.sh). Loopback only; every process goes through track_pid and is stopped by
# PID (by the caller, or by common.sh's EXIT trap).
#
# Env: ETCD_CLIENT_PORTS ("23791 23792 23793"), ETCD_PEER_PORTS ("23811 23812 23813"),
#      ETCD_CPUS (cpu list for taskset, default SERVER_CPU), REPLICA_PORTS ("18721 18722"),
#      REPLICA_CPUS (one cpu list per replica, default "SERVER_CPU SERVER_CPU"),
#      JAVA_OPTS (-Xmx512m), SESSION_TTL (10s); REPLICA_JAR (BEACON_JAR) and REPLICA_JVM_OPTS (none)
#      choose the jar and extra JVM options of the replicas launched next.
# shellcheck shell=bash

read -r -a ETCD_CLIENT_PORTS <<< "${ETCD_CLIENT_PORTS:-23791 23792 23793}"
read -r -a ETCD_PEER_PORTS <<< "${ETCD_PEER_PORTS:-23811 23812 23813}"
ETCD_CPUS=${ETCD_CPUS:-$SERVER_CPU}
read -r -a REPLICA_PORTS <<< "${REPLICA_PORTS:-18721 18722}"
read -r -a REPLICA_CPUS <<< "${REPLICA_CPUS:-$SERVER_CPU $SERVER_CPU}"
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
REPLICA_JAR=${REPLICA_JAR:-$BEACON_JAR}
REPLICA_JVM_OPTS=${REPLICA_JVM_OPTS:-}
SESSION_TTL=${SESSION_TTL:-10s}
(( ${#ETCD_CLIENT_PORTS[@]} == 3 && ${#ETCD_PEER_PORTS[@]} == 3 )) || die "ETCD_CLIENT_PORTS and ETCD_PEER_PORTS need 3 ports each"
(( ${#REPLICA_CPUS[@]} >= ${#REPLICA_PORTS[@]} )) || die "REPLICA_CPUS needs one cpu list per replica port"

ETCD_PIDS=()
ETCD_DATA=
REPLICA_PIDS=()
REPLICA_START_MS=()

# common.sh's clean-up, plus the etcd data directory
etcd_replicas_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  stop_all
  [[ -n $ETCD_DATA ]] && rm -rf "$ETCD_DATA"
  exit "$rc"
}
trap etcd_replicas_cleanup EXIT

# the endpoints setting of the replicas: every member's client URL
etcd_endpoints() {
  local p out=
  for p in "${ETCD_CLIENT_PORTS[@]}"; do out+=${out:+,}http://127.0.0.1:$p; done
  echo "$out"
}

replica_url() { echo "http://127.0.0.1:${REPLICA_PORTS[$1]}"; }

untrack_pid() {
  local i
  for i in "${!STARTED_PIDS[@]}"; do [[ ${STARTED_PIDS[i]} == "$1" ]] && unset 'STARTED_PIDS[i]'; done
  STARTED_PIDS=("${STARTED_PIDS[@]}")
}

# start_etcd_cluster LOGDIR: 3 members, fresh data dirs, pinned to ETCD_CPUS; waits until every
# member reports healthy (at most 60 s)
start_etcd_cluster() {
  local logdir=$1 i cluster= p
  for p in "${ETCD_CLIENT_PORTS[@]}" "${ETCD_PEER_PORTS[@]}"; do
    port_in_use "$p" && die "port $p is in use: refusing to start etcd on it"
  done
  ETCD_DATA=$(mktemp -d "${TMPDIR:-/tmp}/beacon-etcd-replicas.XXXXXX")
  for i in 0 1 2; do cluster+=${cluster:+,}m$i=http://127.0.0.1:${ETCD_PEER_PORTS[i]}; done
  ETCD_PIDS=()
  for i in 0 1 2; do
    taskset -c "$ETCD_CPUS" etcd --name "m$i" --data-dir "$ETCD_DATA/m$i" \
      --listen-client-urls "http://127.0.0.1:${ETCD_CLIENT_PORTS[i]}" \
      --advertise-client-urls "http://127.0.0.1:${ETCD_CLIENT_PORTS[i]}" \
      --listen-peer-urls "http://127.0.0.1:${ETCD_PEER_PORTS[i]}" \
      --initial-advertise-peer-urls "http://127.0.0.1:${ETCD_PEER_PORTS[i]}" \
      --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token beacon-bench \
      > "$logdir/etcd-m$i.log" 2>&1 &
    ETCD_PIDS+=("$!")
    track_pid "$!"
  done
  for i in 0 1 2; do
    wait_etcd_healthy "${ETCD_CLIENT_PORTS[i]}" 60 "${ETCD_PIDS[i]}" || die "etcd member m$i not healthy, see $logdir/etcd-m$i.log"
  done
  log "etcd cluster up on $(etcd_endpoints) (taskset -c $ETCD_CPUS)"
}

wait_etcd_healthy() {
  local port=$1 deadline=$(( $(now_ms) + $2 * 1000 )) pid=$3
  while (( $(now_ms) < deadline )); do
    pid_alive "$pid" || return 1
    curl -sf --max-time 2 "http://127.0.0.1:$port/health" 2>/dev/null | grep -q '"health":"true"' && return 0
    sleep 0.2
  done
  return 1
}

stop_etcd_cluster() {
  local pid
  for pid in "${ETCD_PIDS[@]}"; do stop_pid "$pid"; untrack_pid "$pid"; done
  ETCD_PIDS=()
  [[ -n $ETCD_DATA ]] && rm -rf "$ETCD_DATA"
  ETCD_DATA=
}

# etcd_revision: the cluster's current revision (from the first member)
etcd_revision() {
  curl -s --max-time 5 -X POST "http://127.0.0.1:${ETCD_CLIENT_PORTS[0]}/v3/kv/range" \
    -d "{\"key\":\"$(printf /beacon-bench-none | base64 -w0)\"}" | sed -n 's/.*"revision":"\([0-9]*\)".*/\1/p'
}

# launch_replica K LOGDIR: starts replica K (port REPLICA_PORTS[K], pinned to REPLICA_CPUS[K]) on the
# cluster and returns at once; REPLICA_START_MS[K] is the time just before it was started
launch_replica() {
  local k=$1 logdir=$2 port=${REPLICA_PORTS[$1]}
  port_in_use "$port" && die "port $port is in use: refusing to start a replica on it"
  REPLICA_START_MS[k]=$(now_ms)
  # shellcheck disable=SC2086
  taskset -c "${REPLICA_CPUS[k]}" "$JAVA" $JAVA_OPTS $REPLICA_JVM_OPTS -Xlog:gc:file="$logdir/replica-$k-gc.log" -jar "$REPLICA_JAR" \
    --server.port="$port" --beacon.registry.store=etcd --beacon.registry.etcd.endpoints="$(etcd_endpoints)" \
    --beacon.registry.etcd.session-ttl="$SESSION_TTL" >> "$logdir/replica-$k.log" 2>&1 &
  REPLICA_PIDS[k]=$!
  track_pid "$!"
}

# start_replica K LOGDIR: launch_replica, then wait until its health answers UP (at most 180 s)
start_replica() {
  launch_replica "$1" "$2"
  wait_http "$(replica_url "$1")/actuator/health" 180 "${REPLICA_PIDS[$1]}" \
    || die "replica $1 not ready, see $2/replica-$1.log"
  log "replica $1 ready on $(replica_url "$1") (taskset -c ${REPLICA_CPUS[$1]}) after $(( $(now_ms) - REPLICA_START_MS[$1] )) ms"
}

stop_replica() {
  local pid=${REPLICA_PIDS[$1]:-}
  [[ -n $pid ]] || return 0
  stop_pid "$pid"
  untrack_pid "$pid"
  REPLICA_PIDS[$1]=
}

stop_replicas_and_cluster() {
  local k
  for k in "${!REPLICA_PIDS[@]}"; do stop_replica "$k"; done
  stop_etcd_cluster
}

# register_instances IDS_FILE REPLICA LOGDIR LABEL [PARALLEL]: POST every row ("service id") of IDS_FILE
# to replica REPLICA with curl --parallel on LOAD_CPU; prints "ok total ms"
register_instances() {
  local ids=$1 base k=$2 logdir=$3 label=$4 parallel=${5:-25} cfg codes t0 ok total
  base=$(replica_url "$k")
  cfg=$logdir/$label.curlrc
  codes=$logdir/$label.codes
  awk -v base="$base" 'NR > 1 && NF >= 2 {
      if (n++) print "next"
      printf "url = \"%s/v1/services/%s/instances\"\nrequest = \"POST\"\n", base, $1
      print "header = \"Content-Type: application/json\""
      printf "data-raw = \"{\\\"instanceId\\\":\\\"%s\\\",\\\"host\\\":\\\"127.0.0.1\\\",\\\"port\\\":8080,\\\"leaseTtlSeconds\\\":3600}\"\n", $2
      print "output = \"/dev/null\""
      print "write-out = \"%{http_code}\\n\""
      print "max-time = 30"
    }' "$ids" > "$cfg"
  total=$(grep -c '^url = ' "$cfg" || true)
  t0=$(now_ms)
  timeout 900 taskset -c "$LOAD_CPU" curl -sS -g --parallel --parallel-immediate --parallel-max "$parallel" -K "$cfg" \
    > "$codes" 2> "$logdir/$label.curl.err" || log "$label: curl exited with $?"
  ok=$(grep -c '^2' "$codes" || true)
  echo "$ok $total $(( $(now_ms) - t0 ))"
}

# ids_file FILE N SERVICES [FIRST]: writes "service id" rows: N instances spread over SERVICES
# services (svc-000 ...), ids inst-00000 ...
ids_file() {
  awk -v n="$2" -v s="$3" -v first="${4:-0}" 'BEGIN {
    per = int((n + s - 1) / s); print "service\tid"
    for (i = 0; i < n; i++) printf "svc-%03d\tinst-%05d\n", int(i / per), first + i }' > "$1"
}

# split_ids FILE OUT_A OUT_B: alternate rows of an ids file into two (the header in both)
split_ids() {
  awk -v a="$2" -v b="$3" 'NR == 1 { print > a; print > b; next } { print > ((NR % 2) ? a : b) }' "$1"
}

# proc_ticks PID...: user+system clock ticks of the processes together (0 for a gone one)
proc_ticks() {
  local pid s sum=0
  for pid in "$@"; do
    [[ $pid =~ ^[0-9]+$ ]] || continue
    s=
    { read -r s < "/proc/$pid/stat"; } 2>/dev/null || continue
    s=${s##*) }
    # shellcheck disable=SC2086
    set -- $s
    sum=$(( sum + ${12} + ${13} ))
  done
  echo "$sum"
}
