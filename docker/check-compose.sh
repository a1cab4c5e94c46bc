#!/usr/bin/env bash
# End-to-end check of the Beacon compose stack, for CI and for machines without an image registry.
#
#  1. installs what is missing from Debian's packages (docker.io, docker-compose, debootstrap, curl, jq)
#  2. starts dockerd if no engine answers (and stops it at the end, only if it started it)
#  3. builds the jars if they are missing (./mvnw -B -q package -DskipTests)
#  4. builds a Java 17 base image from Debian packages (docker/build-base-image.sh; cached by tag)
#  5. builds the app images on that base (docker-compose.yml, BASE_IMAGE build argument)
#  6. starts the stack with docker-compose.check.yml: every container on the host's network, so all
#     traffic stays on loopback (registry 8700, payment 8081-8083, order 8080)
#  7. waits for every container to be healthy
#  8. checks the registry answers; then places an order and checks that the payment instance that
#     served it is one of the three the registry lists for payment-service
#  9. tears it down, then does the same with the etcd stack (docker-compose.etcd.yml +
#     docker-compose.etcd-check.yml: 3 etcd members from an image of Debian's etcd packages, made by
#     docker/build-base-image.sh and cached by tag; 2 registry replicas on 8700/8701; payment; order):
#     both replicas list the same instances; orders while registry-a is SIGKILLed and then while
#     etcd-1 is SIGKILLed all succeed, no registration is lost, a write still works with 2 of 3
#     etcd members; registry-a restarted lists every instance at once
# 10. tears everything down (down -v, also on failure), keeping the cached base images
#
# usage: docker/check-compose.sh [options]
#   --stack STACK        default (docker-compose.yml), etcd (docker-compose.etcd.yml) or all (default)
#   --registry-only      stop after the registry checks (needs only the registry jar)
#   --base-image IMAGE   build the apps on IMAGE instead of the local Debian base (e.g. eclipse-temurin:17-jre)
#   --rebuild-base       rebuild the local Debian base image even if it is cached
#   --build-jars         always run the Maven build first (default: only when a jar is missing)
#   --keep-images        keep the app images afterwards (the base image is always kept)
#   --no-install         never apt-get install anything
#   -h, --help           this text
# environment: BEACON_CHECK_{REGISTRY,PAYMENT1,PAYMENT2,PAYMENT3,ORDER}_PORT move the host ports;
#   BEACON_CHECK_REGISTRY_{A,B}_PORT and BEACON_CHECK_ETCD{1,2,3}_{PORT,PEER_PORT} those of the etcd
#   stack; BEACON_ETCD_TAG (default beacon/etcd:local; with --base-image, BEACON_ETCD_IMAGE or
#   quay.io/coreos/etcd:v3.4.23);
#   BEACON_CHECK_HEALTH_TIMEOUT (s, default 240), BEACON_BASE_TAG (default beacon/jre17-base:local),
#   BEACON_DEBIAN_MIRROR (default: this machine's apt mirror), BEACON_CHECK_PROJECT (default beacon-check).
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

STACK=all
REGISTRY_ONLY=0
BASE_IMAGE=""
REBUILD_BASE=0
BUILD_JARS=0
KEEP_IMAGES=0
INSTALL=1
while [ $# -gt 0 ]; do
  case "$1" in
    --stack) STACK="${2:?--stack needs a value}"; shift 2 ;;
    --registry-only) REGISTRY_ONLY=1; shift ;;
    --base-image) BASE_IMAGE="${2:?--base-image needs a value}"; shift 2 ;;
    --rebuild-base) REBUILD_BASE=1; shift ;;
    --build-jars) BUILD_JARS=1; shift ;;
    --keep-images) KEEP_IMAGES=1; shift ;;
    --no-install) INSTALL=0; shift ;;
    -h|--help) sed -n '2,/^set -Eeuo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

case "$STACK" in default|etcd|all) ;; *) echo "--stack must be default, etcd or all, got $STACK" >&2; exit 2 ;; esac

PROJECT="${BEACON_CHECK_PROJECT:-beacon-check}"
BASE_TAG="${BEACON_BASE_TAG:-beacon/jre17-base:local}"
HEALTH_TIMEOUT="${BEACON_CHECK_HEALTH_TIMEOUT:-240}"
REGISTRY_PORT="${BEACON_CHECK_REGISTRY_PORT:-8700}"
PAYMENT_PORTS=("${BEACON_CHECK_PAYMENT1_PORT:-8081}" "${BEACON_CHECK_PAYMENT2_PORT:-8082}" "${BEACON_CHECK_PAYMENT3_PORT:-8083}")
ORDER_PORT="${BEACON_CHECK_ORDER_PORT:-8080}"
REGISTRY_URL="http://127.0.0.1:$REGISTRY_PORT"
ORDER_URL="http://127.0.0.1:$ORDER_PORT"
export BEACON_CHECK_REGISTRY_PORT="$REGISTRY_PORT" BEACON_CHECK_ORDER_PORT="$ORDER_PORT" \
       BEACON_CHECK_PAYMENT1_PORT="${PAYMENT_PORTS[0]}" BEACON_CHECK_PAYMENT2_PORT="${PAYMENT_PORTS[1]}" \
       BEACON_CHECK_PAYMENT3_PORT="${PAYMENT_PORTS[2]}"
# the etcd stack (docker-compose.etcd-check.yml reads the same variables)
REGISTRY_A_URL="http://127.0.0.1:${BEACON_CHECK_REGISTRY_A_PORT:-8700}"
REGISTRY_B_URL="http://127.0.0.1:${BEACON_CHECK_REGISTRY_B_PORT:-8701}"
ETCD_PORTS=("${BEACON_CHECK_ETCD1_PORT:-12379}" "${BEACON_CHECK_ETCD1_PEER_PORT:-12380}"
            "${BEACON_CHECK_ETCD2_PORT:-22379}" "${BEACON_CHECK_ETCD2_PEER_PORT:-22380}"
            "${BEACON_CHECK_ETCD3_PORT:-32379}" "${BEACON_CHECK_ETCD3_PEER_PORT:-32380}")
ETCD_TAG="${BEACON_ETCD_TAG:-beacon/etcd:local}"

REGISTRY_JAR=registry-server/target/registry-server-exec.jar
PAYMENT_JAR=sample-payment-service/target/sample-payment-service.jar
ORDER_JAR=sample-order-service/target/sample-order-service.jar
if [ "$REGISTRY_ONLY" = 1 ]; then
  DEFAULT_SERVICES=(registry)
  ETCD_SERVICES=(etcd-1 etcd-2 etcd-3 registry-a registry-b)
  JARS=("$REGISTRY_JAR")
else
  DEFAULT_SERVICES=(registry payment-1 payment-2 payment-3 order)
  ETCD_SERVICES=(etcd-1 etcd-2 etcd-3 registry-a registry-b payment-1 payment-2 payment-3 order)
  JARS=("$REGISTRY_JAR" "$PAYMENT_JAR" "$ORDER_JAR")
fi
SERVICES=()   # those of the stack being checked
STACK_NAME=""
APP_IMAGES=(beacon/registry-server:local beacon/sample-payment-service:local beacon/sample-order-service:local)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/beacon-compose-check.XXXXXX")"
EFFECTIVE="$WORK/compose.effective.yml"
STARTED_DOCKERD_PID=""
STACK_STARTED=0
OK=0
T0=$SECONDS

# ---------------------------------------------------------------------------------- output helpers
PHASES=()
PHASE_NAME=""
PHASE_T0=0
STEP=0
phase() {
  phase_end
  STEP=$((STEP + 1))
  PHASE_NAME="$*"
  PHASE_T0=$SECONDS
  printf '\n==> [%d] %s   (t=%ds)\n' "$STEP" "$PHASE_NAME" "$((SECONDS - T0))"
}
phase_end() {
  if [ -n "$PHASE_NAME" ]; then
    PHASES+=("$(printf '%4ds  %s' "$((SECONDS - PHASE_T0))" "$PHASE_NAME")")
    PHASE_NAME=""
  fi
}
info() { printf '    %s\n' "$*"; }
die() { printf '\n!!! FAILED: %s\n' "$*" >&2; exit 1; }
indent() { sed 's/^/    | /'; }

# ------------------------------------------------------------------------------------ compose tool
COMPOSE=()
detect_compose() {
  if docker compose version >/dev/null 2>&1; then
    COMPOSE=(docker compose)
  elif command -v docker-compose >/dev/null 2>&1; then
    COMPOSE=(docker-compose)
  else
    return 1
  fi
}
# compose on the effective (merged, host-network) file; bounded by the timeout given first
compose() {
  local t="$1"; shift
  timeout "$t" "${COMPOSE[@]}" -p "$PROJECT" -f "$EFFECTIVE" "$@"
}

# ------------------------------------------------------------------------------------------ teardown
stop_dockerd() {
  [ -n "$STARTED_DOCKERD_PID" ] || return 0
  info "stopping the dockerd this script started (pid $STARTED_DOCKERD_PID)"
  kill -TERM "$STARTED_DOCKERD_PID" 2>/dev/null || true
  local i
  for i in $(seq 1 30); do
    kill -0 "$STARTED_DOCKERD_PID" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$STARTED_DOCKERD_PID" 2>/dev/null; then
    info "dockerd did not stop in 30s; killing it"
    kill -KILL "$STARTED_DOCKERD_PID" 2>/dev/null || true
  fi
  wait "$STARTED_DOCKERD_PID" 2>/dev/null || true
  STARTED_DOCKERD_PID=""
}

stack_down() {   # the stack of $EFFECTIVE, and containers left behind by an interrupted `up`
  compose 180 down -v --remove-orphans --timeout 20 2>&1 | indent
  docker ps -aq --filter "label=com.docker.compose.project=$PROJECT" | xargs -r docker rm -f -v >/dev/null 2>&1
  STACK_STARTED=0
}

teardown() {
  local rc=$?
  trap - EXIT INT TERM ERR
  set +e
  phase_end
  if [ "$OK" != 1 ] && [ "$rc" = 0 ]; then rc=1; fi
  local t_down=$SECONDS
  if [ "$STACK_STARTED" = 1 ]; then
    if [ "$rc" != 0 ]; then
      printf '\n==> diagnostics\n'
      compose 60 ps 2>&1 | indent
      local s
      for s in "${SERVICES[@]}"; do
        printf '    --- last log lines of %s\n' "$s"
        compose 30 logs --no-color --tail=60 "$s" 2>&1 | indent
      done
    fi
    printf '\n==> teardown (t=%ds)\n' "$((SECONDS - T0))"
    stack_down
  fi
  if [ "$KEEP_IMAGES" = 0 ] && [ -n "${COMPOSE[*]}" ] && docker info >/dev/null 2>&1; then
    local img
    for img in "${APP_IMAGES[@]}"; do
      docker image rm "$img" >/dev/null 2>&1 && info "removed image $img"
    done
    info "kept base image ${BASE_IMAGE:-$BASE_TAG}${ETCD_IMAGE:+ and etcd image $ETCD_IMAGE}"
  fi
  if [ "$rc" != 0 ] && [ -n "$STARTED_DOCKERD_PID" ] && [ -f "$WORK/dockerd.log" ]; then
    printf '    --- last lines of the dockerd log\n'
    tail -n 10 "$WORK/dockerd.log" | indent
  fi
  stop_dockerd
  PHASES+=("$(printf '%4ds  %s' "$((SECONDS - t_down))" "teardown")")
  printf '\n==> phases\n'
  printf '    %s\n' "${PHASES[@]}"
  if [ "$rc" = 0 ]; then
    rm -rf "$WORK"
    printf '\n==> PASSED in %ds\n' "$((SECONDS - T0))"
  else
    printf '\n==> FAILED (exit %s) after %ds; scratch files kept in %s\n' "$rc" "$((SECONDS - T0))" "$WORK"
  fi
  exit "$rc"
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'printf "!!! command failed (line %s): %s\n" "$LINENO" "$BASH_COMMAND" >&2' ERR

printf '==> Beacon compose check (%s) in %s, scratch %s\n' \
  "$([ "$REGISTRY_ONLY" = 1 ] && echo "registry only" || echo "full stack")" "$ROOT" "$WORK"

# ----------------------------------------------------------------------------------- 1. tools
phase "tools"
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
if ! detect_compose; then missing+=(docker-compose); fi
if [ -z "$BASE_IMAGE" ] && ! command -v debootstrap >/dev/null 2>&1; then missing+=(debootstrap); fi
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v jq >/dev/null 2>&1 || missing+=(jq)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$INSTALL" = 1 ] || die "missing: ${missing[*]} (and --no-install was given)"
  [ "$(id -u)" = 0 ] || die "missing: ${missing[*]}; installing them needs root"
  info "installing from Debian: ${missing[*]}"
  timeout 600 apt-get update -q >"$WORK/apt.log" 2>&1 || { tail -n 20 "$WORK/apt.log"; die "apt-get update failed"; }
  DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -q --no-install-recommends "${missing[@]}" \
    >>"$WORK/apt.log" 2>&1 || { tail -n 20 "$WORK/apt.log"; die "apt-get install ${missing[*]} failed"; }
fi
command -v docker >/dev/null 2>&1 || die "no docker CLI after installing docker.io"
detect_compose || die "no compose: neither 'docker compose' (v2) nor 'docker-compose' (v1)"
info "docker CLI:  $(command -v docker) ($(docker --version 2>/dev/null))"
info "compose:     ${COMPOSE[*]} ($("${COMPOSE[@]}" version --short 2>/dev/null || "${COMPOSE[@]}" version 2>/dev/null | head -n 1))"

# ---------------------------------------------------------------------------------- 2. engine
phase "docker engine"
start_dockerd() {   # args: extra dockerd flags; returns 0 once `docker info` works
  info "starting dockerd${*:+ $*} (log $WORK/dockerd.log)"
  dockerd "$@" >>"$WORK/dockerd.log" 2>&1 &
  STARTED_DOCKERD_PID=$!
  local i
  for i in $(seq 1 60); do
    if docker info >/dev/null 2>&1; then
      info "dockerd (pid $STARTED_DOCKERD_PID) answers after ${i}s"
      return 0
    fi
    kill -0 "$STARTED_DOCKERD_PID" 2>/dev/null || break
    sleep 1
  done
  info "dockerd${*:+ $*} did not come up; last log lines:"
  tail -n 15 "$WORK/dockerd.log" | indent
  stop_dockerd
  return 1
}
if docker info >/dev/null 2>&1; then
  info "a Docker engine already answers; using it (it is left running)"
elif pgrep -x dockerd >/dev/null 2>&1; then
  info "a dockerd process exists but does not answer yet; waiting up to 60s"
  for i in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || die "the running dockerd does not answer (docker info)"
else
  [ "$(id -u)" = 0 ] || die "no Docker engine answers and starting one needs root"
  # Defaults first. The check itself needs neither iptables nor the docker0 bridge (host network),
  # so without them next; then vfs storage (slow, but works where overlay mounts are refused).
  start_dockerd \
    || start_dockerd --iptables=false --bridge=none \
    || start_dockerd --storage-driver=vfs --iptables=false --bridge=none \
    || die "could not start dockerd (see $WORK/dockerd.log)"
fi
docker info --format '    engine {{.ServerVersion}}, storage {{.Driver}}, cgroup {{.CgroupDriver}} v{{.CgroupVersion}}, kernel {{.KernelVersion}}' 2>/dev/null || true

# ------------------------------------------------------------------------------------ 3. jars
phase "jars"
need_build=$BUILD_JARS
for jar in "${JARS[@]}"; do [ -f "$jar" ] || need_build=1; done
if [ "$need_build" = 1 ]; then
  info "./mvnw -B -q package -DskipTests (timeout 1200s)"
  timeout 1200 ./mvnw -B -q package -DskipTests 2>&1 | tail -n 40 | indent \
    || die "Maven build failed"
fi
for jar in "${JARS[@]}"; do
  [ -f "$jar" ] || die "$jar is missing after the Maven build$([ "$REGISTRY_ONLY" = 1 ] || echo '; without the sample modules run with --registry-only')"
  info "$jar ($(du -h "$jar" | cut -f1), $(date -u -r "$jar" '+%Y-%m-%d %H:%M:%SZ'))"
done

# ------------------------------------------------------------------------------ 4. base image
if [ -n "$BASE_IMAGE" ]; then
  phase "base image $BASE_IMAGE (given)"
  docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 || {
    info "not present locally; pulling (timeout 600s)"
    timeout 600 docker pull "$BASE_IMAGE" 2>&1 | tail -n 3 | indent || die "cannot pull $BASE_IMAGE"
  }
else
  phase "base image $BASE_TAG (debootstrap, cached by tag)"
  BASE_IMAGE="$BASE_TAG"
  base_args=(--tag "$BASE_TAG")
  [ "$REBUILD_BASE" = 1 ] && base_args+=(--force)
  "$ROOT/docker/build-base-image.sh" "${base_args[@]}" 2>&1 | sed 's/^\[base-image\] //' | indent \
    || die "could not build the base image $BASE_TAG"
fi

# ------------------------------------------------------------------------------ 4b. etcd image
if [ "$STACK" != default ]; then
  if [ -n "${BEACON_ETCD_IMAGE:-}" ] || [ "$BASE_IMAGE" != "$BASE_TAG" ]; then
    ETCD_IMAGE="${BEACON_ETCD_IMAGE:-quay.io/coreos/etcd:v3.4.23}"
    phase "etcd image $ETCD_IMAGE (given)"
    docker image inspect "$ETCD_IMAGE" >/dev/null 2>&1 || {
      info "not present locally; pulling (timeout 600s)"
      timeout 600 docker pull "$ETCD_IMAGE" 2>&1 | tail -n 3 | indent || die "cannot pull $ETCD_IMAGE"
    }
  else
    ETCD_IMAGE="$ETCD_TAG"
    phase "etcd image $ETCD_TAG (debootstrap of Debian's etcd-server and etcd-client, cached by tag)"
    etcd_args=(--tag "$ETCD_TAG" --packages etcd-server,etcd-client)
    [ "$REBUILD_BASE" = 1 ] && etcd_args+=(--force)
    "$ROOT/docker/build-base-image.sh" "${etcd_args[@]}" 2>&1 | sed 's/^\[base-image\] //' | indent \
      || die "could not build the etcd image $ETCD_TAG"
  fi
  export BEACON_ETCD_IMAGE="$ETCD_IMAGE"
fi

# ------------------------------------------------------------------------- steps for both stacks
# host_network_config COMPOSE_FILE OVERRIDE: the two merged by compose itself into $EFFECTIVE, for
# the stack's SERVICES. Compose v1 refuses published ports on a host-network container and neither
# version can drop a list entry through an override, so the `ports` of the merged file go (host
# networking publishes nothing anyway).
host_network_config() {
  local s
  BEACON_BASE_IMAGE="$BASE_IMAGE" timeout 60 "${COMPOSE[@]}" -p "$PROJECT" \
    -f "$1" -f "$2" config >"$WORK/compose.merged.yml" \
    || die "compose config failed on $1 + $2"
  awk '
    skip && /^    - / { next }                 # v1 style: "    ports:" then "    - 127.0.0.1:..."
    skip && /^     / { next }                  # v2 style: nested long-syntax entries
    { skip = 0 }
    /^    ports:/ { skip = 1; next }             # spelled out: mawk in Debian lacks {n} intervals
    { print }
  ' "$WORK/compose.merged.yml" >"$EFFECTIVE"
  compose 60 config >"$WORK/compose.resolved.yml" 2>"$WORK/compose.resolved.err" \
    || { indent <"$WORK/compose.resolved.err"; die "compose config failed on $EFFECTIVE"; }
  for s in "${SERVICES[@]}"; do
    # (reads the whole file: an awk that exits early would make a writer into the pipe fail)
    awk -v s="  $s:" '$0 == s { f = 1; next } f && /^  [^ ]/ { f = 0 } f && /network_mode: host/ { found = 1 } END { exit !found }' \
      "$WORK/compose.resolved.yml" || die "service $s is not on the host network in the merged configuration"
  done
  info "merged configuration: $EFFECTIVE (all services network_mode: host, no published ports)"
}

# build_app_images SERVICE...: the images of those services (on $BASE_IMAGE)
build_app_images() {
  local img
  compose 1200 build "$@" >"$WORK/build.log" 2>&1 \
    || { tail -n 40 "$WORK/build.log" | indent; die "image build failed"; }
  grep -E '^(Successfully tagged|Step 1/|#[0-9]+ naming to)' "$WORK/build.log" | indent || true
  for img in "${APP_IMAGES[@]}"; do
    docker image inspect "$img" >/dev/null 2>&1 && info "$img  $(docker image inspect -f '{{.Id}}' "$img" | cut -c1-19)"
  done
}

# stack_up PORT...: starts SERVICES once those host ports are free
stack_up() {
  local p
  STACK_STARTED=1
  # leftovers of an earlier run that was killed before its own teardown
  compose 120 down -v --remove-orphans --timeout 10 >/dev/null 2>&1 || true
  # On the host network a port taken by anything else would also answer the health checks.
  for p in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      die "127.0.0.1:$p is already taken on this machine; stop what listens there or move the check with BEACON_CHECK_*_PORT"
    fi
  done
  info "ports $* are free on 127.0.0.1"
  compose $((HEALTH_TIMEOUT + 120)) up -d --no-build "${SERVICES[@]}" 2>&1 | indent \
    || die "compose up failed"
}

# wait_healthy SERVICE...: until each is running and healthy (CID[service] = its container)
declare -A CID
wait_healthy() {
  local s state pending deadline started
  local -A last=()
  for s in "$@"; do
    CID[$s]="$(compose 30 ps -q "$s" | head -n 1)"
    [ -n "${CID[$s]}" ] || die "no container for $s"
  done
  deadline=$((SECONDS + HEALTH_TIMEOUT))
  while :; do
    pending=0
    for s in "$@"; do
      state="$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}no-healthcheck{{end}}' "${CID[$s]}" 2>/dev/null || echo 'gone -')"
      if [ "${last[$s]:-}" != "$state" ]; then
        info "$(printf '%-10s %-22s (t=%ds)' "$s" "$state" "$((SECONDS - PHASE_T0))")"
        last[$s]="$state"
      fi
      case "$state" in
        "running healthy") ;;
        running*) pending=1 ;;
        *) die "$s is $state" ;;
      esac
      [ "$state" != "running unhealthy" ] || die "$s is unhealthy"
    done
    [ "$pending" = 1 ] || break
    [ "$SECONDS" -lt "$deadline" ] || die "not all healthy after ${HEALTH_TIMEOUT}s"
    sleep 2
  done
  info "all healthy"
  for s in "$@"; do   # how long each Spring Boot app took to start, from its own log
    started="$(timeout 30 docker logs "${CID[$s]}" 2>&1 | grep -o 'Started [A-Za-z0-9_]* in [0-9.]* seconds' | tail -n 1)" || true
    [ -z "$started" ] || info "$(printf '%-10s %s' "$s" "$started")"
  done
}

# The default registry runs with security on (docker-compose.yml): the check reads it with the
# read-only demo 'operator' token from there. The etcd stack runs without security.
OPERATOR_TOKEN="${BEACON_CHECK_OPERATOR_TOKEN:-azFw6I_2blVE-P2lYveVJVas6bCQe4nza4m0dJVRpHk}"
http() {   # METHOD URL [BODY] -> prints the body, then a last line with the HTTP code
  local method="$1" url="$2" body="${3:-}" auth=()
  case "$url" in "$REGISTRY_URL"/v1/*) [ "$STACK_NAME" = default ] && auth=(-H "Authorization: Bearer $OPERATOR_TOKEN") ;; esac
  if [ -n "$body" ]; then
    curl -sS --max-time 15 -X "$method" "$url" "${auth[@]}" -H 'Content-Type: application/json' -d "$body" -w '\n%{http_code}'
  else
    curl -sS --max-time 15 -X "$method" "$url" "${auth[@]}" -w '\n%{http_code}'
  fi
}

ORDER='{"item":"book","amount":12.5}'
PAYMENT_IDS=()

# first_order: POST /orders, retried while the answer says "not ready" (no connection, 502/503/504:
# the order service may not see the payment instances yet) for up to 60s; any other failure three
# times ends the check. The payment instance that served it must be one of PAYMENT_IDS.
first_order() {
  local deadline=$((SECONDS + 60)) other_failures=0 out code body served
  while :; do
    out="$(http POST "$ORDER_URL/orders" "$ORDER" 2>&1)" || out="$out"$'\n000'
    code="${out##*$'\n'}"; body="${out%$'\n'*}"
    case "$code" in
      2??) break ;;
      000|502|503|504) ;;
      *) other_failures=$((other_failures + 1))
         [ "$other_failures" -lt 3 ] || die "POST /orders answered $code three times: $body" ;;
    esac
    [ "$SECONDS" -lt "$deadline" ] || die "POST /orders did not succeed within 60s (last answer: $code $body)"
    info "POST /orders -> $code, retrying"
    sleep 2
  done
  info "POST /orders $ORDER -> $code"
  jq . <<<"$body" 2>/dev/null | indent || info "$body"
  served="$(jq -r '.payment.servedBy // empty' <<<"$body" 2>/dev/null)"
  [ -n "$served" ] || die "the order response has no payment.servedBy"
  is_payment_id "$served" || die "payment.servedBy=$served is not one of the registered payment instances (${PAYMENT_IDS[*]})"
  info "payment.servedBy=$served is one of the ${#PAYMENT_IDS[@]} registered payment instances"
}

is_payment_id() {
  local id
  for id in "${PAYMENT_IDS[@]}"; do [ "$id" = "$1" ] && return 0; done
  return 1
}

# one_order LABEL: one order that must succeed at once, served by one of PAYMENT_IDS; prints who served it
one_order() {
  local out code body s
  out="$(http POST "$ORDER_URL/orders" "$ORDER")" || die "order $1 failed"
  code="${out##*$'\n'}"; body="${out%$'\n'*}"
  case "$code" in 2??) ;; *) die "order $1 -> $code $body" ;; esac
  s="$(jq -r '.payment.servedBy // empty' <<<"$body")"
  is_payment_id "$s" || die "order $1 served by unknown payment instance '$s'"
  printf '%s' "$s"
}

# ------------------------------------------------------------------------- the default stack
# check_cds_archive IMAGE: the image's class-data-sharing archive (made at build time by
# docker/cds-archive.sh) maps with sharing made mandatory (-Xshare:on fails the JVM otherwise), for a
# start of the app up to its beans
check_cds_archive() {
  local out
  out="$(docker run --rm --network none --entrypoint java "$1" -Xshare:on -XX:SharedArchiveFile=/app/cds/app.jsa \
    -Dspring.context.exit=onRefresh -jar /app/cds/app.jar 2>&1)" \
    || { printf '%s\n' "$out" | tail -n 20 | indent; die "$1: its CDS archive does not map (-Xshare:on)"; }
  info "$1: its CDS archive maps (-Xshare:on, the app's beans created)"
}

check_default_stack() {
  local out code body owners s i
  STACK_NAME=default
  SERVICES=("${DEFAULT_SERVICES[@]}")

  phase "default stack: app images (${SERVICES[*]}) on $BASE_IMAGE"
  host_network_config docker-compose.yml docker-compose.check.yml
  build_app_images "${SERVICES[@]}"
  check_cds_archive beacon/registry-server:local

  phase "default stack: start ${SERVICES[*]} (host network)"
  local ports=("$REGISTRY_PORT")
  [ "$REGISTRY_ONLY" = 1 ] || ports+=("${PAYMENT_PORTS[@]}" "$ORDER_PORT")
  stack_up "${ports[@]}"

  phase "default stack: wait until healthy (timeout ${HEALTH_TIMEOUT}s)"
  wait_healthy "${SERVICES[@]}"

  phase "registry checks"
  out="$(http GET "$REGISTRY_URL/actuator/health")" || die "GET $REGISTRY_URL/actuator/health failed"
  code="${out##*$'\n'}"; body="${out%$'\n'*}"
  info "GET /actuator/health -> $code $body"
  [ "$code" = 200 ] && jq -e '.status == "UP"' >/dev/null <<<"$body" || die "registry health is not 200 UP"
  out="$(http GET "$REGISTRY_URL/v1/services")" || die "GET $REGISTRY_URL/v1/services failed"
  code="${out##*$'\n'}"; body="${out%$'\n'*}"
  info "GET /v1/services -> $code $(cut -c1-300 <<<"$body")"
  [ "$code" = 200 ] && jq -e . >/dev/null <<<"$body" || die "GET /v1/services did not answer 200 with JSON"
  code="$(curl -sS --max-time 15 -o /dev/null -w '%{http_code}' "$REGISTRY_URL/v1/services")" || die "GET /v1/services without a token failed"
  info "GET /v1/services without a token -> $code"
  [ "$code" = 401 ] || die "the registry answered $code, not 401, to a request without a token: is security on?"

  if [ "$REGISTRY_ONLY" = 0 ]; then
    phase "payment instances in the registry"
    body="$(await_payment_instances "$REGISTRY_URL")" || exit 1
    mapfile -t PAYMENT_IDS < <(jq -r '.instances[].instanceId' <<<"$body")
    jq -r '.instances[] | "\(.instanceId)  \(.host // "?"):\(.port // "?")  \(.status // "")  owner=\(.owner // "-")"' <<<"$body" | indent
    owners="$(jq -r '[.instances[].owner] | unique | join(",")' <<<"$body")"
    [ "$owners" = payment-service ] || die "payment instances are owned by '$owners', not by the payment-service token"

    phase "place an order"
    first_order

    phase "spread over the payment replicas (6 more orders)"
    local -A hits=()
    for i in 1 2 3 4 5 6; do
      s="$(one_order "$i")" || exit 1
      hits[$s]=$(( ${hits[$s]:-0} + 1 ))
    done
    for s in "${PAYMENT_IDS[@]}"; do info "$(printf '%-40s %d' "$s" "${hits[$s]:-0}")"; done
    info "${#hits[@]} of ${#PAYMENT_IDS[@]} payment instances served the 6 orders"
  fi
  [ "$REGISTRY_ONLY" = 0 ] || info "registry-only run: the payment and order steps were skipped"

  phase "default stack: down"
  stack_down
}

# await_payment_instances URL: until the registry at URL lists 3 UP payment instances (60s); prints its answer
await_payment_instances() {
  local deadline=$((SECONDS + 60)) out code body count
  while :; do
    out="$(http GET "$1/v1/services/payment-service" 2>/dev/null)" || out=$'\n000'
    code="${out##*$'\n'}"; body="${out%$'\n'*}"
    count="$( [ "$code" = 200 ] && jq -r '.instances | length' <<<"$body" 2>/dev/null || echo 0)"
    [ "$count" = 3 ] && break
    [ "$SECONDS" -lt "$deadline" ] || die "$1 lists $count payment instances, not 3, after 60s (last answer: $code $body)"
    sleep 2
  done
  printf '%s' "$body"
}

# ---------------------------------------------------------------------------- the etcd stack
# listed_ids URL SERVICE [STATUS]: the instance ids the registry at URL lists for SERVICE (sorted,
# space-separated; STATUS ALL by default); fails when it does not answer 200
listed_ids() {
  local out code body
  out="$(http GET "$1/v1/services/$2?status=${3:-ALL}")" || return 1
  code="${out##*$'\n'}"; body="${out%$'\n'*}"
  [ "$code" = 200 ] || return 1
  jq -r '[.instances[].instanceId] | sort | join(" ")' <<<"$body"
}

# replica_facts URL: "store registryId" from GET /v1/registry
replica_facts() {
  local out code body
  out="$(http GET "$1/v1/registry")" || die "GET $1/v1/registry failed"
  code="${out##*$'\n'}"; body="${out%$'\n'*}"
  [ "$code" = 200 ] || die "GET $1/v1/registry -> $code $body"
  jq -r '"\(.store) \(.registryId)"' <<<"$body"
}

# orders_while LABEL N URL: N orders, one a second, each must succeed at once; before each, the
# registry at URL must still list every instance registered before (no registration lost)
orders_while() {
  local label=$1 n=$2 url=$3 i ids order_ids served
  for i in $(seq 1 "$n"); do
    ids="$(listed_ids "$url" payment-service)" || die "$label: $url did not answer the payment-service query"
    [ "$ids" = "$EXPECTED_PAYMENT_IDS" ] || die "$label: $url lists payment-service [$ids], not [$EXPECTED_PAYMENT_IDS]"
    order_ids="$(listed_ids "$url" order-service)" || die "$label: $url did not answer the order-service query"
    [ "$order_ids" = "$EXPECTED_ORDER_IDS" ] || die "$label: $url lists order-service [$order_ids], not [$EXPECTED_ORDER_IDS]"
    served="$(one_order "$label-$i")" || exit 1
    [ "$i" = 1 ] || [ "$i" = "$n" ] && info "$label: order $i of $n served by $served; $url lists all 3 payment + 1 order instances"
    sleep 1
  done
}

check_etcd_stack() {
  local a b up_ids body
  STACK_NAME=etcd
  SERVICES=("${ETCD_SERVICES[@]}")

  phase "etcd stack: app images (${SERVICES[*]}) on $BASE_IMAGE, etcd from $BEACON_ETCD_IMAGE"
  host_network_config docker-compose.etcd.yml docker-compose.etcd-check.yml
  build_app_images registry-a $([ "$REGISTRY_ONLY" = 1 ] || echo payment-1 order)

  phase "etcd stack: start ${SERVICES[*]} (host network)"
  local ports=("${ETCD_PORTS[@]}" "${REGISTRY_A_URL##*:}" "${REGISTRY_B_URL##*:}")
  [ "$REGISTRY_ONLY" = 1 ] || ports+=("${PAYMENT_PORTS[@]}" "$ORDER_PORT")
  stack_up "${ports[@]}"

  phase "etcd stack: wait until healthy (timeout ${HEALTH_TIMEOUT}s)"
  wait_healthy "${SERVICES[@]}"

  phase "etcd stack: both replicas share one registry in etcd"
  a="$(replica_facts "$REGISTRY_A_URL")" || exit 1
  b="$(replica_facts "$REGISTRY_B_URL")" || exit 1
  info "registry-a: store, registryId = $a"
  info "registry-b: store, registryId = $b"
  [ "${a%% *}" = etcd ] || die "registry-a runs on store '${a%% *}', not etcd"
  [ "$a" = "$b" ] || die "the replicas name different registries: '$a' vs '$b'"
  if [ "$REGISTRY_ONLY" = 1 ]; then
    info "registry-only run: the payment, order and failover steps were skipped"
  else
    body="$(await_payment_instances "$REGISTRY_A_URL")" || exit 1
    mapfile -t PAYMENT_IDS < <(jq -r '.instances[].instanceId' <<<"$body")
    jq -r '.instances[] | "\(.instanceId)  \(.host // "?"):\(.port // "?")  \(.status // "")"' <<<"$body" | indent
    EXPECTED_PAYMENT_IDS="$(listed_ids "$REGISTRY_A_URL" payment-service)" || die "registry-a did not answer"
    local deadline=$((SECONDS + 60))
    until EXPECTED_ORDER_IDS="$(listed_ids "$REGISTRY_A_URL" order-service)" && [ -n "$EXPECTED_ORDER_IDS" ]; do
      [ "$SECONDS" -lt "$deadline" ] || die "registry-a lists no order-service instance after 60s"
      sleep 2
    done
    [ "$(listed_ids "$REGISTRY_B_URL" payment-service)" = "$EXPECTED_PAYMENT_IDS" ] \
      || die "registry-b lists payment-service [$(listed_ids "$REGISTRY_B_URL" payment-service)], registry-a [$EXPECTED_PAYMENT_IDS]"
    info "both replicas list payment-service [$EXPECTED_PAYMENT_IDS] and order-service [$EXPECTED_ORDER_IDS]"

    phase "etcd stack: place an order"
    first_order

    phase "etcd stack: SIGKILL registry-a, 15 orders (one a second) through registry-b"
    docker kill -s KILL "${CID[registry-a]}" >/dev/null || die "could not kill registry-a"
    info "registry-a killed"
    orders_while after-registry-a-killed 15 "$REGISTRY_B_URL"

    phase "etcd stack: SIGKILL etcd-1, 10 orders, and a write through registry-b"
    docker kill -s KILL "${CID[etcd-1]}" >/dev/null || die "could not kill etcd-1"
    info "etcd-1 killed: 2 of 3 members left"
    orders_while after-etcd-1-killed 10 "$REGISTRY_B_URL"
    local probe='{"instanceId":"compose-check-probe","host":"127.0.0.1","port":9,"leaseTtlSeconds":60}' out code
    deadline=$((SECONDS + 30))
    while :; do
      out="$(http POST "$REGISTRY_B_URL/v1/services/compose-check/instances" "$probe")" || out=$'\n000'
      code="${out##*$'\n'}"
      case "$code" in 2??) break ;; esac
      [ "$SECONDS" -lt "$deadline" ] || die "registering through registry-b with 2 of 3 etcd members answered $code: ${out%$'\n'*}"
      sleep 1
    done
    out="$(http DELETE "$REGISTRY_B_URL/v1/services/compose-check/instances/compose-check-probe")" || out=$'\n000'
    case "${out##*$'\n'}" in 2??) ;; *) die "deregistering the probe through registry-b answered ${out##*$'\n'}" ;; esac
    info "a registration and a deregistration through registry-b succeeded with 2 of 3 etcd members"

    phase "etcd stack: restart registry-a; it lists every instance from its first answer"
    compose 60 start registry-a 2>&1 | indent || die "could not start registry-a again"
    deadline=$((SECONDS + HEALTH_TIMEOUT))
    until up_ids="$(listed_ids "$REGISTRY_A_URL" payment-service 2>/dev/null)"; do
      [ "$SECONDS" -lt "$deadline" ] || die "registry-a did not answer within ${HEALTH_TIMEOUT}s of its restart"
      sleep 0.2
    done
    [ "$up_ids" = "$EXPECTED_PAYMENT_IDS" ] || die "registry-a's first answer after its restart lists [$up_ids], not [$EXPECTED_PAYMENT_IDS]"
    info "registry-a's first answer after its restart lists payment-service [$up_ids]"
    orders_while after-registry-a-restarted 3 "$REGISTRY_A_URL"
    up_ids="$(listed_ids "$REGISTRY_B_URL" payment-service UP)"
    [ "$up_ids" = "$EXPECTED_PAYMENT_IDS" ] || die "registry-b lists UP payment instances [$up_ids], not [$EXPECTED_PAYMENT_IDS]"
    info "no registration lost: every payment instance is still listed and UP"
  fi

  phase "etcd stack: down"
  stack_down
}

# ------------------------------------------------------------------------------------ the checks
if [ "$STACK" != etcd ]; then check_default_stack; fi
if [ "$STACK" != default ]; then check_etcd_stack; fi

phase_end
OK=1
