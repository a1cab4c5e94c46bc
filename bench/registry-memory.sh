#!/usr/bin/env bash
# registry-memory.sh [ROUNDS]: heap held per registered instance, per open watch stream and per lease stream.
#
# Each round starts a fresh server (pinned to SERVER_CPU), and measures the live heap (the total of
# `jcmd GC.class_histogram`, which runs a full GC first) three times:
#   1. idle, after start;
#   2. after registering INSTANCES instances (100 services, each instance with 2 metadata entries
#      and a one-hour lease, so none lapses meanwhile), checked with GET /v1/services;
#   3. with STREAMS watch streams open as well (the WatchLatency client with --hold-file; module bench/);
#   4. with one lease stream open as well for each of the first LEASES registered instances (the
#      LeaseStreamHolder client; each stream binds its instance's liveness to the connection, issue 14).
# per instance = (2 - 1) / INSTANCES; per stream = (3 - 2) / STREAMS; per lease stream = (4 - 3) / LEASES.
# The class histograms are kept in the run directory, with the classes that grew most.
#
# Env: ROUNDS (3), INSTANCES (100000), STREAMS (1000), LEASES (INSTANCES, at most 10000; 0 skips step 4),
#      PORT (18710), JAVA_OPTS (-Xmx512m),
#      BEACON_JAR, WORK (/tmp/beacon-bench), REG_PARALLEL (50), QUIET_* (see lib/common.sh).
# The server gets -XX:+StartAttachListener so that jcmd can attach to a process started from a
# script (which starts it with SIGQUIT ignored); it does not change what is measured.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$(readlink -f "$0")")/lib/common.sh"

ROUNDS=${1:-${ROUNDS:-3}}
INSTANCES=${INSTANCES:-100000}
STREAMS=${STREAMS:-1000}
PORT=${PORT:-18710}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
WORK=${WORK:-/tmp/beacon-bench}
REG_PARALLEL=${REG_PARALLEL:-50}
LEASES=${LEASES:-$(( INSTANCES < 10000 ? INSTANCES : 10000 ))}
(( ROUNDS >= 1 && ROUNDS <= 10 )) || die "ROUNDS must be 1-10"
(( INSTANCES >= 1 && INSTANCES <= 1000000 )) || die "INSTANCES must be 1-1000000"
(( STREAMS >= 1 && STREAMS <= 5000 )) || die "STREAMS must be 1-5000"
(( LEASES >= 0 && LEASES <= INSTANCES && LEASES <= 20000 )) || die "LEASES must be 0-min(INSTANCES, 20000)"

require curl jq jcmd taskset awk timeout
ensure_beacon_jar
ensure_bench_tools
BASE=http://127.0.0.1:$PORT
RESULTS=$WORK/results/memory-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"

# live heap in bytes: the total line of the class histogram (taken after a full GC)
live_heap() {
  local pid=$1 out=$2
  timeout 120 jcmd "$pid" GC.class_histogram > "$out" || die "jcmd failed on $pid"
  awk '$1 == "Total" { print $3 }' "$out"
}

# the classes whose bytes grew most between two histograms
grown() {
  awk 'FNR == 1 { f++ } $1 ~ /^[0-9]+:$/ { b[f, $4] = $3; n[f, $4] = $2; k[$4] = 1 }
    END { for (c in k) { d = b[2, c] - b[1, c]; if (d > 0) printf "%12d %10d %s\n", d, n[2, c] - n[1, c], c } }' "$1" "$2" |
    sort -rn | awk 'NR <= 15'
}

# curl config registering INSTANCES instances
registrations() {
  awk -v n="$INSTANCES" -v base="$BASE" 'BEGIN {
    per = int((n + 99) / 100)
    for (i = 0; i < n; i++) {
      if (i) print "next"
      printf "url = \"%s/v1/services/mem-%03d/instances\"\n", base, int(i / per)
      print "request = \"POST\""
      print "header = \"Content-Type: application/json\""
      printf "data-raw = \"{\\\"instanceId\\\":\\\"inst-%06d\\\",\\\"host\\\":\\\"10.%d.%d.%d\\\",\\\"port\\\":8080,\\\"leaseTtlSeconds\\\":3600,\\\"metadata\\\":{\\\"zone\\\":\\\"zone-%c\\\",\\\"version\\\":\\\"1.4.%d\\\"}}\"\n", i, int(i / 65536) % 256, int(i / 256) % 256, i % 256, 97 + i % 3, i % 20
      print "output = \"/dev/null\""
      print "write-out = \"%{http_code}\\n\""
      print "max-time = 10"
    } }'
}

# await_key FILE KEY PID TENTHS: wait until FILE has a line KEY=... (at most TENTHS tenths of a second);
# fails if PID ends first (0 for none)
await_key() {
  local file=$1 key=$2 pid=$3 i
  for (( i = 0; i < $4; i++ )); do
    grep -q "^$key=" "$file" 2>/dev/null && return 0
    [[ $pid == 0 ]] || pid_alive "$pid" || die "the client ended early, see ${file%.out}.err"
    sleep 0.1
  done
  return 1
}

# "service instanceId" of the first LEASES registered instances, named as registrations() names them
lease_instances() {
  awk -v n="$INSTANCES" -v leases="$LEASES" 'BEGIN {
    per = int((n + 99) / 100)
    for (i = 0; i < leases; i++) printf "mem-%03d inst-%06d\n", int(i / per), i
  }'
}

for (( r = 1; r <= ROUNDS; r++ )); do
  dir=$RESULTS/round-$r
  mkdir -p "$dir"
  port_in_use "$PORT" && die "port $PORT is in use"
  quiet_wait
  log "round $r: starting the server"
  taskset -c "$SERVER_CPU" "$JAVA" $JAVA_OPTS -XX:+StartAttachListener -jar "$BEACON_JAR" --server.port="$PORT" \
    > "$dir/server.log" 2>&1 &
  server=$!
  track_pid "$server"
  wait_http "$BASE/actuator/health" 180 "$server" || die "server not ready, see $dir/server.log"
  sleep 5
  idle=$(live_heap "$server" "$dir/histo-idle.txt")

  log "round $r: registering $INSTANCES instances"
  registrations > "$dir/register.curlrc"
  timeout 1200 taskset -c "$LOAD_CPU" curl -sS -g --parallel --parallel-immediate --parallel-max "$REG_PARALLEL" \
    -K "$dir/register.curlrc" > "$dir/register.codes" 2> "$dir/register.err" || log "curl exited with $?"
  rm -f "$dir/register.curlrc"
  codes=$(sort "$dir/register.codes" | uniq -c | awk '{ printf "%s%s:%s", s, $2, $1; s = "," }')
  held=$(curl -sf --max-time 30 "$BASE/v1/services" | jq '[.services[].total] | add')
  [[ $held == "$INSTANCES" ]] || die "the registry holds $held instances, expected $INSTANCES (codes $codes)"
  with_instances=$(live_heap "$server" "$dir/histo-instances.txt")

  log "round $r: opening $STREAMS watch streams"
  hold=$dir/streams.release
  taskset -c "$LOAD_CPU" timeout 600 "$JAVA" -cp "$BENCH_TOOLS_JAR" io.beacon.bench.watch.WatchLatency --base "$BASE" \
    --streams "$STREAMS" --service mem-watch --hold-file "$hold" --hold-max-seconds 300 \
    > "$dir/watch.out" 2> "$dir/watch.err" &
  watcher=$!
  track_pid "$watcher"
  await_key "$dir/watch.out" streams_open "$watcher" 1200 || true
  open=$(kv_of "$dir/watch.out" streams_open)
  [[ $open == "$STREAMS" ]] || die "only ${open:-0} of $STREAMS streams opened"
  sleep 2
  with_streams=$(live_heap "$server" "$dir/histo-streams.txt")
  with_leases=$with_streams
  ended_leases=0
  if (( LEASES > 0 )); then
    log "round $r: opening $LEASES lease streams"
    lease_instances > "$dir/lease-instances.txt"
    lease_hold=$dir/leases.release
    taskset -c "$LOAD_CPU" timeout 900 "$JAVA" -Xmx512m -cp "$BENCH_TOOLS_JAR" io.beacon.bench.lease.LeaseStreamHolder \
      --base "$BASE" --instances-file "$dir/lease-instances.txt" --hold-file "$lease_hold" --hold-max-seconds 600 \
      > "$dir/leases.out" 2> "$dir/leases.err" &
    holder=$!
    track_pid "$holder"
    await_key "$dir/leases.out" streams_open "$holder" 3000 || true
    open=$(kv_of "$dir/leases.out" streams_open)
    [[ $open == "$LEASES" ]] || die "only ${open:-0} of $LEASES lease streams opened, see $dir/leases.err"
    sleep 2
    with_leases=$(live_heap "$server" "$dir/histo-leases.txt")
    touch "$lease_hold"
    await_key "$dir/leases.out" streams_ended_while_held 0 100 || true
    ended_leases=$(kv_of "$dir/leases.out" streams_ended_while_held)
    [[ $ended_leases == 0 ]] || die "${ended_leases:-?} lease streams ended while the heap was measured"
    stop_pid "$holder"
  fi
  rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$server/status")
  touch "$hold"
  stop_pid "$watcher"
  stop_pid "$server"
  STARTED_PIDS=()

  grown "$dir/histo-idle.txt" "$dir/histo-instances.txt" > "$dir/grown-by-instances.txt"
  grown "$dir/histo-instances.txt" "$dir/histo-streams.txt" > "$dir/grown-by-streams.txt"
  (( LEASES > 0 )) && grown "$dir/histo-streams.txt" "$dir/histo-leases.txt" > "$dir/grown-by-leases.txt"
  {
    echo "round=$r"
    echo "register_codes=$codes"
    echo "heap_idle_bytes=$idle"
    echo "heap_with_instances_bytes=$with_instances"
    echo "heap_with_streams_bytes=$with_streams"
    echo "bytes_per_instance=$(( (with_instances - idle) / INSTANCES ))"
    echo "bytes_per_stream=$(( (with_streams - with_instances) / STREAMS ))"
    echo "heap_with_leases_bytes=$with_leases"
    (( LEASES > 0 )) && echo "bytes_per_lease_stream=$(( (with_leases - with_streams) / LEASES ))"
    echo "rss_with_streams_kb=$rss"
  } | tee "$dir/summary.txt"
done

{
  echo "# heap per instance, per watch stream and per lease stream, $ROUNDS round(s), $(date -u +%Y-%m-%dT%H:%MZ), $INSTANCES instances, $STREAMS streams, $LEASES lease streams, $JAVA_OPTS ($("$JAVA" -version 2>&1 | head -1))"
  for k in bytes_per_instance bytes_per_stream bytes_per_lease_stream heap_idle_bytes heap_with_instances_bytes heap_with_streams_bytes heap_with_leases_bytes rss_with_streams_kb; do
    vals=$(for f in "$RESULTS"/round-*/summary.txt; do kv_of "$f" "$k"; done)
    printf '%-28s median %-12s runs %s\n' "$k" "$(median <<< "$vals")" "$(echo $vals)"
  done
} | tee "$RESULTS/summary.txt"
log "results in $RESULTS"
