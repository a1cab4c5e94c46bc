#!/usr/bin/env bash
# crash-detection.sh [KILLS]: how long a SIGKILLed app stays UP in the registry at the starter's default
# lease, with its lease stream (issue 14) and without it.
#
# Starts a registry (pinned to SERVER_CPU, lease sweep every 100 ms as in the system tests) and holds a
# watch stream on payment-service (curl). Then, for each mode in MODES, KILLS times: starts a sample
# payment instance (pinned to LOAD_CPU; the starter's defaults: a 15 s lease, a heartbeat every 5 s;
# LEASE_TTL overrides), waits until it is UP, lets it run a random 6-11 s more (so the kill falls
# anywhere in a heartbeat interval), SIGKILLs it and polls its status every POLL_MS until it is DOWN.
# Each delay is from just before the kill to the first poll that saw DOWN (so it includes up to one
# poll interval and a curl start); the cause is the one the watch stream carried.
# LeaseStreamIT (system-tests) measures the same with the 3 s leases of the fault tests, to the watch
# event and the order service's view, under orders.
#
# Env: KILLS (3), MODES ("stream nostream"), LEASE_TTL (the starter's default), POLL_MS (20),
#      PORT (18730), PAYMENT_JAR, BEACON_JAR, WORK (/tmp/beacon-bench), QUIET_* (see lib/common.sh).
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$(readlink -f "$0")")/lib/common.sh"

KILLS=${1:-${KILLS:-3}}
MODES=${MODES:-stream nostream}
LEASE_TTL=${LEASE_TTL:-}
POLL_MS=${POLL_MS:-20}
PORT=${PORT:-18730}
WORK=${WORK:-/tmp/beacon-bench}
PAYMENT_JAR=${PAYMENT_JAR:-$REPO_DIR/sample-payment-service/target/sample-payment-service.jar}
(( KILLS >= 1 && KILLS <= 20 )) || die "KILLS must be 1-20"
(( POLL_MS >= 5 && POLL_MS <= 1000 )) || die "POLL_MS must be 5-1000"
for mode in $MODES; do [[ $mode == stream || $mode == nostream ]] || die "MODES takes stream and nostream, got $mode"; done

require curl jq taskset awk timeout
ensure_beacon_jar
[[ -f $PAYMENT_JAR ]] || die "no payment jar at $PAYMENT_JAR: ./mvnw -B -q -pl sample-payment-service -am package -DskipTests"
POLL_S=$(awk -v ms="$POLL_MS" 'BEGIN { printf "%.3f", ms / 1000 }')
BASE=http://127.0.0.1:$PORT
RESULTS=$WORK/results/crash-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"
port_in_use "$PORT" && die "port $PORT is in use"

# a free loopback port above the last one taken (each instance gets an id of its own: a killed one
# stays listed, DOWN, until its eviction)
NEXT_PORT=$(( PORT + 1 ))
take_port() {
  while (( NEXT_PORT < PORT + 500 )); do
    NEXT_PORT=$(( NEXT_PORT + 1 ))
    port_in_use "$(( NEXT_PORT - 1 ))" || return 0
  done
  die "no free port in $PORT-$(( PORT + 500 ))"
}

instance_status() {
  curl -s --max-time 2 "$BASE/v1/services/payment-service/instances/$1" | jq -r '.status // empty' 2>/dev/null || true
}

quiet_wait
log "starting the registry"
taskset -c "$SERVER_CPU" "$JAVA" -Xmx256m -jar "$BEACON_JAR" --server.port="$PORT" --server.address=127.0.0.1 \
  --beacon.registry.lease-check-interval=100ms > "$RESULTS/registry.log" 2>&1 &
registry=$!
track_pid "$registry"
wait_http "$BASE/actuator/health" 180 "$registry" || die "registry not ready, see $RESULTS/registry.log"
timeout 3600 curl -sN "$BASE/v1/watch?service=payment-service" > "$RESULTS/watch.txt" &
track_pid "$!"

for mode in $MODES; do
  enabled=$([[ $mode == stream ]] && echo true || echo false)
  for (( k = 1; k <= KILLS; k++ )); do
    take_port
    port=$(( NEXT_PORT - 1 ))
    id=127.0.0.1:$port
    args=(--server.port="$port" --server.address=127.0.0.1 --beacon.client.registry-url="$BASE"
      --beacon.client.lease-stream.enabled="$enabled")
    [[ -n $LEASE_TTL ]] && args+=(--beacon.client.lease-ttl="$LEASE_TTL")
    taskset -c "$LOAD_CPU" "$JAVA" -Xmx160m -XX:+UseSerialGC -jar "$PAYMENT_JAR" "${args[@]}" \
      > "$RESULTS/payment-$mode-$k.log" 2>&1 &
    app=$!
    track_pid "$app"
    for (( i = 0; i < 1800; i++ )); do
      [[ $(instance_status "$id") == UP ]] && break
      pid_alive "$app" || die "payment instance ended, see $RESULTS/payment-$mode-$k.log"
      sleep 0.1
    done
    [[ $(instance_status "$id") == UP ]] || die "payment instance $id not UP after 180 s"
    sleep "$(( 6 + RANDOM % 6 )).$(( RANDOM % 10 ))"
    killed=$(now_ms)
    kill -KILL "$app"
    down=
    while (( $(now_ms) - killed < 60000 )); do
      [[ $(instance_status "$id") == DOWN ]] && { down=$(( $(now_ms) - killed )); break; }
      sleep "$POLL_S"
    done
    wait "$app" 2>/dev/null || true
    [[ -n $down ]] || die "$id not DOWN 60 s after its SIGKILL"
    sleep 0.5
    cause=$(grep '^data:' "$RESULTS/watch.txt" | sed 's/^data: //' |
      jq -r --arg id "$id" 'select(.instance.instanceId? == $id and .instance.status == "DOWN") | .cause' 2>/dev/null | head -1)
    echo "$mode kill=$k down_ms=$down cause=${cause:-?}" | tee -a "$RESULTS/kills.txt"
  done
done

{
  echo "# SIGKILL -> DOWN in the registry, $KILLS kill(s) per mode, $(date -u +%Y-%m-%dT%H:%MZ), lease ${LEASE_TTL:-the starter default}, polled every ${POLL_MS} ms"
  for mode in $MODES; do
    vals=$(awk -v m="$mode" '$1 == m { sub("down_ms=", "", $3); print $3 }' "$RESULTS/kills.txt")
    causes=$(awk -v m="$mode" '$1 == m { sub("cause=", "", $4); print $4 }' "$RESULTS/kills.txt" | sort | uniq -c | awk '{ printf "%s%s x%s", s, $2, $1; s = ", " }')
    printf '%-9s down_ms median %-7s max %-7s runs %s (causes: %s)\n' "$mode" "$(median <<< "$vals")" \
      "$(sort -n <<< "$vals" | tail -1)" "$(echo $vals)" "$causes"
  done
} | tee "$RESULTS/summary.txt"
log "results in $RESULTS"
