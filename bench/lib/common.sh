# common.sh: helpers for Beacon's benchmark scripts (source it).
#
# Conventions, as in the shared harness (../shared/bench from the project root): loopback only; the server on
# SERVER_CPU, load on LOAD_CPU; every process a script starts is tracked and stopped by PID when it
# exits; every loop is bounded in count and time.
# shellcheck shell=bash

BENCH_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$BENCH_HOME/.." && pwd)
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
JAVA=${JAVA:-java}
BEACON_JAR=${BEACON_JAR:-$REPO_DIR/registry-server/target/registry-server-exec.jar}
# the bench tools (clients, churn, comparison servers): module bench/, built with -Pbench only
BENCH_TOOLS_JAR=${BENCH_TOOLS_JAR:-$BENCH_HOME/target/bench-tools.jar}
# the shared side-by-side harness (bench/ and peers/), next to the project: ../shared
SHARED_DIR=${SHARED_DIR:-$REPO_DIR/../shared}
# Other people's processes on this machine make figures noisy: before each measured run, wait
# (at most QUIET_MAX_S seconds) until the machine has been idle for QUIET_S seconds in a row.
QUIET_S=${QUIET_S:-3}
QUIET_MAX_S=${QUIET_MAX_S:-180}
QUIET_BUSY_PCT=${QUIET_BUSY_PCT:-8}

STARTED_PIDS=()

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

pid_alive() {
  local st
  { read -r st < "/proc/$1/stat"; } 2>/dev/null || return 1
  st=${st##*) }
  [[ ${st%% *} != Z ]]
}

track_pid() { STARTED_PIDS+=("$1"); }

stop_pid() {
  local pid=$1 grace=${2:-20} i
  if pid_alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for (( i = 0; i < grace * 10; i++ )); do
      pid_alive "$pid" || break
      sleep 0.1
    done
    pid_alive "$pid" && { log "pid $pid still running after ${grace}s, sending KILL"; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  wait "$pid" 2>/dev/null || true
}

stop_all() {
  local i
  for (( i = ${#STARTED_PIDS[@]} - 1; i >= 0; i-- )); do
    stop_pid "${STARTED_PIDS[i]}"
  done
  STARTED_PIDS=()
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  stop_all
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

require() {
  local c
  for c in "$@"; do command -v "$c" >/dev/null 2>&1 || die "missing command: $c"; done
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

now_ms() { local t=${EPOCHREALTIME/,/.}; echo $(( ${t%.*} * 1000 + 10#${t#*.} / 1000 )); }

# busy and total jiffies of all CPUs together
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }

# quiet_wait: wait until the whole machine has been under QUIET_BUSY_PCT busy for QUIET_S
# seconds in a row; gives up (and says so) after QUIET_MAX_S seconds.
quiet_wait() {
  local start=$SECONDS ok=0 a b busy=0
  while (( SECONDS - start < QUIET_MAX_S )); do
    a=$(machine_ticks); sleep 1; b=$(machine_ticks)
    busy=$(awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ");
      printf "%d", (y[2] > x[2] ? 100 * (y[1] - x[1]) / (y[2] - x[2]) : 0) }')
    if (( busy < QUIET_BUSY_PCT )); then ok=$(( ok + 1 )); else ok=0; fi
    if (( ok >= QUIET_S )); then
      log "machine quiet (waited $(( SECONDS - start ))s)"
      return 0
    fi
  done
  log "WARNING: machine still busy (${busy}%) after ${QUIET_MAX_S}s; measuring anyway"
}

# median of the numbers on stdin (one per line; non-numbers ignored)
median() {
  { grep -E '^-?[0-9]+(\.[0-9]+)?$' || true; } | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "n/a"; exit }
    if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# kv_of FILE KEY: the value of KEY=... in a key=value summary file (last one wins)
kv_of() { awk -F= -v k="$2" '$1 == k { v = substr($0, length(k) + 2) } END { print v }' "$1"; }

# copy_harness DIR: a fresh copy of the shared harness (bench + peers) in DIR
copy_harness() {
  local dir=$1 shared=$SHARED_DIR
  [[ -d $shared/bench && -d $shared/peers ]] || die "shared harness not found under $shared (set SHARED_DIR)"
  rm -rf "$dir"
  mkdir -p "$dir"
  cp -r "$shared/bench" "$shared/peers" "$dir/"
}

# ensure_beacon_jar: build the registry server jar if it is missing
ensure_beacon_jar() {
  if [[ ! -f $BEACON_JAR ]]; then
    log "building $BEACON_JAR"
    (cd "$REPO_DIR" && ./mvnw -B -q -pl registry-server package -DskipTests) || die "build failed"
  fi
  [[ -f $BEACON_JAR ]] || die "no jar at $BEACON_JAR"
}

# ensure_bench_tools: build the bench tools jar if it is missing or older than its sources
ensure_bench_tools() {
  if [[ ! -f $BENCH_TOOLS_JAR ]] || [[ -n $(find "$BENCH_HOME/pom.xml" "$BENCH_HOME/src" -newer "$BENCH_TOOLS_JAR" -type f -print -quit) ]]; then
    log "building $BENCH_TOOLS_JAR"
    (cd "$REPO_DIR" && ./mvnw -B -q -Pbench -pl bench -am package -DskipTests) || die "build failed"
  fi
  [[ -f $BENCH_TOOLS_JAR ]] || die "no jar at $BENCH_TOOLS_JAR"
}

# wait_http URL TIMEOUT_S [PID]: poll URL until it answers 2xx; fails if PID dies
wait_http() {
  local url=$1 deadline=$(( $(now_ms) + $2 * 1000 )) pid=${3:-}
  while (( $(now_ms) < deadline )); do
    [[ -n $pid ]] && ! pid_alive "$pid" && return 1
    curl -sf --max-time 2 -o /dev/null "$url" && return 0
    sleep 0.1
  done
  return 1
}
