#!/usr/bin/env bash
# Soak (not part of CI): a registry with 10,000 simulated instances heartbeating, 1,000 watch
# streams and 20 re-registrations a second for 10 minutes; checks no instance is lost (no lapse,
# all UP every minute) and the heap after GC stays flat. See bench/Soak.java.
#   bench/soak.sh [instances] [watchers] [minutes]
# Loopback only; the registry it starts is stopped at the end (also on Ctrl-C).
set -euo pipefail
cd "$(dirname "$0")/.."
instances=${1:-10000}; watchers=${2:-1000}; minutes=${3:-10}
jar=registry-server/target/registry-server-exec.jar
[[ -f $jar ]] || ./mvnw -B -q package -DskipTests -pl registry-server
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log=$(mktemp /tmp/beacon-soak-registry.XXXXXX.log)
java -Xmx512m -jar "$jar" --server.port="$port" --server.address=127.0.0.1 > "$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null && break
  sleep 0.5
done
echo "registry pid $pid on port $port (log $log)"
timeout $(( minutes * 60 + 600 )) java -Xmx1g bench/Soak.java "$port" "$pid" "$instances" "$watchers" "$minutes"
