#!/usr/bin/env bash
# Soak (not part of CI): a registry with 10,000 simulated instances heartbeating, 1,000 watch
# streams and 20 re-registrations a second for 10 minutes; checks no instance is lost (no lapse,
# all UP every minute) and the heap after GC stays flat. The load is io.beacon.bench.soak.Soak
# (module bench/, on Reactor Netty's HTTP client).
#   bench/soak.sh [instances] [watchers] [minutes]
# Loopback only; the registry it starts is stopped at the end (also on Ctrl-C).
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$(readlink -f "$0")")/lib/common.sh"
instances=${1:-10000}; watchers=${2:-1000}; minutes=${3:-10}
(( minutes >= 1 && minutes <= 120 )) || die "minutes must be 1-120"
require curl jcmd timeout
ensure_beacon_jar
ensure_bench_tools
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp /tmp/beacon-soak-registry.XXXXXX.log)
"$JAVA" -Xmx512m -jar "$BEACON_JAR" --server.port="$port" --server.address=127.0.0.1 > "$log" 2>&1 &
pid=$!
track_pid "$pid"
wait_http "http://127.0.0.1:$port/actuator/health" 300 "$pid" || die "registry not ready, see $log"
log "registry pid $pid on port $port (log $log)"
timeout $(( minutes * 60 + 600 )) "$JAVA" -Xmx1g -cp "$BENCH_TOOLS_JAR" io.beacon.bench.soak.Soak \
  --base "http://127.0.0.1:$port" --pid "$pid" --instances "$instances" --watchers "$watchers" --minutes "$minutes"
