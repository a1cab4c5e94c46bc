#!/bin/bash
# Container health probe for the Beacon images.
#
# Needs nothing but bash and coreutils' `timeout`, so it works on the temurin JRE image (no wget,
# no curl) and on the debootstrap base (no curl). Speaks plain HTTP/1.0 over bash's /dev/tcp to
# the app's own actuator on loopback and succeeds only on a 200 whose body says "status":"UP".
#
# usage: healthcheck.sh [PORT] [PATH]     defaults: $SERVER_PORT (else 8080), /actuator/health
set -u
port="${1:-${SERVER_PORT:-8080}}"
path="${2:-/actuator/health}"

response="$(timeout 5 bash -c '
  exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
  printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\nAccept: application/json\r\nConnection: close\r\n\r\n" "$2" "$1" >&3
  cat <&3
' healthcheck "$port" "$path" 2>/dev/null)" || { echo "no answer on 127.0.0.1:$port$path"; exit 1; }

status_line="${response%%$'\r'*}"
case "$status_line" in
  "HTTP/1."?" 200"*) ;;
  *) echo "unhealthy: ${status_line:-empty response}"; exit 1 ;;
esac
case "$response" in
  *'"status":"UP"'*) echo "UP"; exit 0 ;;
  *) echo "unhealthy: body does not say \"status\":\"UP\""; exit 1 ;;
esac
