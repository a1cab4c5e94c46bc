#!/usr/bin/env bash
# dns-perf.sh [ROUNDS]: DNS queries per second of the registry on one core, measured with dnsperf.
#
# Starts one registry (pinned to SERVER_CPU) with the DNS interface on, registers INSTANCES UP
# instances of payment-service through the API, checks the answers with dig, then runs dnsperf
# (pinned to LOAD_CPU) for DURATION seconds per workload, ROUNDS times, after a warm-up run:
#   a      payment-service.service.beacon A      (INSTANCES A records)
#   srv    payment-service.service.beacon SRV    (INSTANCES SRV records, their addresses as additional)
#   nx     nobody.service.beacon A               (NXDOMAIN with the SOA)
#   a-tcp  the a workload over TCP (dnsperf -m tcp)
# Every query carries EDNS (dnsperf -e), as dig's do. Reports, as medians of the rounds (each round's
# figure beside it): queries/s as dnsperf saw them, dnsperf's average latency, and queries answered
# per CPU-second of the registry process (all its threads, GC and JIT included, from /proc/PID/stat).
# On a machine shared with other work the last is the steadier figure: it is what one core would
# serve if the registry had it to itself.
#
# Env: ROUNDS (5), DURATION (10 s), INSTANCES (10), CLIENTS (4), OUTSTANDING (100), PORT (18720),
#      DNS_PORT (18620), JAVA_OPTS (-Xmx256m), BEACON_JAR, WORK (/tmp/beacon-bench),
#      QUIET_* (see lib/common.sh).
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$(readlink -f "$0")")/lib/common.sh"

ROUNDS=${1:-${ROUNDS:-5}}
DURATION=${DURATION:-10}
INSTANCES=${INSTANCES:-10}
CLIENTS=${CLIENTS:-4}
OUTSTANDING=${OUTSTANDING:-100}
PORT=${PORT:-18720}
DNS_PORT=${DNS_PORT:-18620}
JAVA_OPTS=${JAVA_OPTS:--Xmx256m}
WORK=${WORK:-/tmp/beacon-bench}
(( ROUNDS >= 1 && ROUNDS <= 20 )) || die "ROUNDS must be 1-20"
(( DURATION >= 1 && DURATION <= 120 )) || die "DURATION must be 1-120 seconds"
(( INSTANCES >= 1 && INSTANCES <= 200 )) || die "INSTANCES must be 1-200"

require curl dig dnsperf taskset awk timeout
ensure_beacon_jar
BASE=http://127.0.0.1:$PORT
RESULTS=$WORK/results/dns-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RESULTS"
port_in_use "$PORT" && die "port $PORT is in use"
port_in_use "$DNS_PORT" && die "port $DNS_PORT is in use"

log "starting the registry on CPU $SERVER_CPU (DNS on UDP and TCP $DNS_PORT)"
# one I/O thread for HTTP as for DNS: the whole server shares one core
taskset -c "$SERVER_CPU" "$JAVA" $JAVA_OPTS -Dreactor.netty.ioWorkerCount=1 -jar "$BEACON_JAR" \
  --server.port="$PORT" --beacon.registry.dns.enabled=true --beacon.registry.dns.port="$DNS_PORT" \
  > "$RESULTS/server.log" 2>&1 &
server=$!
track_pid "$server"
wait_http "$BASE/actuator/health" 180 "$server" || die "server not ready, see $RESULTS/server.log"

log "registering $INSTANCES instances of payment-service"
for (( i = 1; i <= INSTANCES; i++ )); do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST "$BASE/v1/services/payment-service/instances" \
    -H 'Content-Type: application/json' \
    -d "{\"instanceId\":\"p$i\",\"host\":\"10.0.$(( i / 256 )).$(( i % 256 ))\",\"port\":$(( 8000 + i )),\"leaseTtlSeconds\":3600}")
  [[ $code == 201 ]] || die "registration $i answered $code"
done
answers=$(dig @127.0.0.1 -p "$DNS_PORT" +time=5 +tries=2 +short payment-service.service.beacon A | wc -l)
(( answers == INSTANCES )) || die "dig got $answers A records, expected $INSTANCES"
dig @127.0.0.1 -p "$DNS_PORT" +time=5 payment-service.service.beacon SRV > "$RESULTS/dig-srv.txt"

printf 'payment-service.service.beacon A\n' > "$RESULTS/a.txt"
printf 'payment-service.service.beacon SRV\n' > "$RESULTS/srv.txt"
printf 'nobody.service.beacon A\n' > "$RESULTS/nx.txt"

TICKS=$(getconf CLK_TCK)
# cpu_ticks PID: user + system CPU ticks of a process so far
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

# run_dnsperf NAME FILE MODE OUT: one bounded dnsperf run; prints queries/s
run_dnsperf() {
  local file=$2 mode=$3 out=$4
  timeout $(( DURATION + 30 )) taskset -c "$LOAD_CPU" dnsperf -s 127.0.0.1 -p "$DNS_PORT" -m "$mode" -e \
    -d "$file" -c "$CLIENTS" -q "$OUTSTANDING" -l "$DURATION" -t 2 > "$out" 2>&1 || log "dnsperf exited with $?"
  awk '/Queries per second:/ { print $4 }' "$out"
}

log "warm-up"
run_dnsperf warmup "$RESULTS/a.txt" udp "$RESULTS/warmup-a.out" > /dev/null
run_dnsperf warmup "$RESULTS/srv.txt" udp "$RESULTS/warmup-srv.out" > /dev/null
run_dnsperf warmup "$RESULTS/a.txt" tcp "$RESULTS/warmup-tcp.out" > /dev/null

WORKLOADS=(a srv nx a-tcp)
for (( r = 1; r <= ROUNDS; r++ )); do
  for w in "${WORKLOADS[@]}"; do
    quiet_wait
    case $w in
      a-tcp) file=$RESULTS/a.txt; mode=tcp ;;
      *) file=$RESULTS/$w.txt; mode=udp ;;
    esac
    out=$RESULTS/round-$r-$w.out
    before=$(cpu_ticks "$server")
    qps=$(run_dnsperf "$w" "$file" "$mode" "$out")
    after=$(cpu_ticks "$server")
    lat=$(awk '/Average Latency/ { print $4; exit }' "$out")
    lost=$(awk '/Queries lost:/ { print $3 }' "$out")
    done_q=$(awk '/Queries completed:/ { print $3; exit }' "$out")
    per_cpu=$(awk -v q="${done_q:-0}" -v t=$(( after - before )) -v hz="$TICKS" 'BEGIN { printf "%.0f", (t > 0 ? q * hz / t : 0) }')
    log "round $r $w: ${qps:-n/a} queries/s, ${per_cpu} per CPU-second, average latency ${lat:-n/a} s, lost ${lost:-n/a}"
    echo "$w qps=$qps latency_s=$lat lost=$lost per_cpu_s=$per_cpu" >> "$RESULTS/runs.txt"
  done
done
pid_alive "$server" || die "the registry died, see $RESULTS/server.log"

{
  echo "# DNS queries/s on one core, $ROUNDS round(s) of ${DURATION}s, $(date -u +%Y-%m-%dT%H:%MZ), $INSTANCES instances, dnsperf -e -c $CLIENTS -q $OUTSTANDING, $JAVA_OPTS ($("$JAVA" -version 2>&1 | head -1))"
  for w in "${WORKLOADS[@]}"; do
    vals=$(awk -v w="$w" '$1 == w { sub("qps=", "", $2); print $2 }' "$RESULTS/runs.txt")
    lats=$(awk -v w="$w" '$1 == w { sub("latency_s=", "", $3); print $3 }' "$RESULTS/runs.txt")
    cpus=$(awk -v w="$w" '$1 == w { sub("per_cpu_s=", "", $5); print $5 }' "$RESULTS/runs.txt")
    printf '%-6s median %-8.0f queries/s (runs %s), %-8s per CPU-second (runs %s), latency %s s\n' "$w" \
      "$(median <<< "$vals")" "$(echo $vals | xargs -n1 printf '%.0f ')" "$(median <<< "$cpus")" "$(echo $cpus)" \
      "$(median <<< "$lats")"
  done
} | tee "$RESULTS/summary.txt"
log "results in $RESULTS"
