#!/usr/bin/env bash
# Builds a Java 17 base image for the Beacon apps from Debian packages alone, for machines that
# reach a Debian mirror but no image registry:
#   debootstrap (bookworm, minbase + openjdk-17-jre-headless + ca-certificates) -> docker import.
#
# The mirror is the one this machine's apt already uses (/etc/apt/sources.list and
# /etc/apt/sources.list.d/*.list / *.sources), or BEACON_DEBIAN_MIRROR if set.
# The result is tagged (default beacon/jre17-base:local) and reused: a second run returns at once
# unless --force is given. --packages replaces the package list: the compose check's etcd image is
# `--tag beacon/etcd:local --packages etcd-server,etcd-client` (Debian's etcd 3.4.23, no Java).
#
# usage: docker/build-base-image.sh [--tag TAG] [--packages LIST] [--force] [--mirror URL]
# needs: root, debootstrap, a running Docker engine.
set -Eeuo pipefail

TAG="${BEACON_BASE_TAG:-beacon/jre17-base:local}"
SUITE=bookworm
PACKAGES=openjdk-17-jre-headless,ca-certificates
MIRROR="${BEACON_DEBIAN_MIRROR:-}"
FORCE=0
DEBOOTSTRAP_TIMEOUT="${BEACON_DEBOOTSTRAP_TIMEOUT:-1500}"

log() { printf '[base-image] %s\n' "$*"; }
die() { printf '[base-image] ERROR: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --tag) TAG="${2:?--tag needs a value}"; shift 2 ;;
    --force) FORCE=1; shift ;;
    --mirror) MIRROR="${2:?--mirror needs a value}"; shift 2 ;;
    --packages) PACKAGES="${2:?--packages needs a value}"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done

# Prints "URI SUITE" for every enabled `deb` source of this machine's apt configuration, one-line
# (.list) and deb822 (.sources) formats alike.
apt_sources() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    # deb [opt=val ...] URI SUITE [COMPONENT...]
    sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" && NF >= 3 { print $2, $3 }'
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # deb822 stanzas separated by blank lines; fields Types, URIs, Suites, Enabled
    awk '
      function flush(   n, m, i, j, u, s) {
        if (types ~ /(^| )deb( |$)/ && tolower(enabled) != "no") {
          n = split(uris, u, " "); m = split(suites, s, " ")
          for (i = 1; i <= n; i++) for (j = 1; j <= m; j++) print u[i], s[j]
        }
        types = ""; uris = ""; suites = ""; enabled = ""; field = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[A-Za-z-]+:/ {
        field = tolower(substr($0, 1, index($0, ":") - 1))
        value = substr($0, index($0, ":") + 1)
        if (field == "types") types = value
        else if (field == "uris") uris = value
        else if (field == "suites") suites = value
        else if (field == "enabled") enabled = value
        gsub(/^[ \t]+|[ \t]+$/, "", types); gsub(/^[ \t]+|[ \t]+$/, "", uris)
        gsub(/^[ \t]+|[ \t]+$/, "", suites); gsub(/^[ \t]+|[ \t]+$/, "", enabled)
        next
      }
      /^[ \t]/ {   # continuation line of a multi-line field
        if (field == "uris") uris = uris " " $0
        else if (field == "suites") suites = suites " " $0
        gsub(/[ \t]+/, " ", uris); gsub(/[ \t]+/, " ", suites)
        next
      }
      END { flush() }
    ' "$f"
  done
}

# The Debian archive mirror to debootstrap from: a source serving $SUITE itself, else the first one
# serving some release's main suite (a codename without -updates/-security/-backports: a
# mirror of the Debian archive carries every supported release).
pick_mirror() {
  local sources uri
  sources="$(apt_sources | awk '$1 ~ /^(https?|file):/' | sed 's#/*  *# #')"
  uri="$(awk -v s="$SUITE" '$2 == s { print $1; exit }' <<<"$sources")"
  [ -n "$uri" ] || uri="$(awk '$2 !~ /-/ && $1 !~ /security/ { print $1; exit }' <<<"$sources")"
  printf '%s' "$uri"
}

command -v docker >/dev/null || die "docker CLI not found"
docker info >/dev/null 2>&1 || die "no Docker engine answers (docker info failed)"

if [ "$FORCE" = 0 ] && docker image inspect "$TAG" >/dev/null 2>&1; then
  log "cached: $TAG already exists ($(docker image inspect -f '{{index .Config.Labels "io.beacon.base.packages"}} from {{index .Config.Labels "io.beacon.base.mirror"}}, created {{.Created}}' "$TAG")); --force rebuilds it"
  exit 0
fi

[ "$(id -u)" = 0 ] || die "debootstrap needs root"
command -v debootstrap >/dev/null || die "debootstrap not found (apt-get install debootstrap)"

if [ -z "$MIRROR" ]; then
  MIRROR="$(pick_mirror)"
  [ -n "$MIRROR" ] || die "found no Debian mirror in /etc/apt/sources.list{,.d/*}; set BEACON_DEBIAN_MIRROR or pass --mirror URL"
  log "mirror from this machine's apt configuration: $MIRROR"
else
  log "mirror given: $MIRROR"
fi

WORK="$(mktemp -d "${TMPDIR:-/var/tmp}/beacon-base.XXXXXX")"
ROOTFS="$WORK/rootfs"
cleanup() {
  # debootstrap may leave /proc or /sys mounted in the target when it is interrupted
  local m
  for m in proc sys dev/pts dev; do
    mountpoint -q "$ROOTFS/$m" 2>/dev/null && umount -l "$ROOTFS/$m" 2>/dev/null || true
  done
  rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT

started=$SECONDS
log "debootstrap --variant=minbase --include=$PACKAGES $SUITE (timeout ${DEBOOTSTRAP_TIMEOUT}s, log $WORK/debootstrap.log)"
if ! timeout "$DEBOOTSTRAP_TIMEOUT" debootstrap --variant=minbase --include="$PACKAGES" \
       "$SUITE" "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1; then
  tail -n 30 "$WORK/debootstrap.log" >&2
  [ -f "$ROOTFS/debootstrap/debootstrap.log" ] && tail -n 30 "$ROOTFS/debootstrap/debootstrap.log" >&2
  die "debootstrap failed"
fi
log "debootstrap done in $((SECONDS - started))s"

# Resolve JAVA_HOME inside the new root (the path carries the architecture), when it has Java
JAVA_ENV=()
if [ -e "$ROOTFS/usr/bin/java" ]; then
  java_bin="$(chroot "$ROOTFS" readlink -f /usr/bin/java)" || die "cannot resolve java in the new root"
  JAVA_ENV=(--change "ENV JAVA_HOME=${java_bin%/bin/java}")
fi

# Slim it down: package caches and lists, docs (keeping copyright notices), man pages, locales.
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/cache/apt/*.bin \
       "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* \
       "$ROOTFS"/usr/share/locale/* "$ROOTFS"/var/log/*.log "$ROOTFS"/var/log/apt/* \
       "$ROOTFS"/debootstrap "$ROOTFS"/tmp/* "$ROOTFS"/var/tmp/*
find "$ROOTFS/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete 2>/dev/null || true
find "$ROOTFS/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
# the image's own hostname/resolver files are supplied by the engine at run time
: >"$ROOTFS/etc/hostname"
: >"$ROOTFS/etc/resolv.conf"
log "root filesystem: $(du -sh --one-file-system "$ROOTFS" | cut -f1)"

started=$SECONDS
tar --numeric-owner --xattrs -C "$ROOTFS" -c . | docker import \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV LANG=C.UTF-8" \
  "${JAVA_ENV[@]}" \
  --change 'CMD ["bash"]' \
  --change "LABEL org.opencontainers.image.title=${TAG%%:*}" \
  --change "LABEL org.opencontainers.image.description=\"Debian $SUITE minbase with $PACKAGES, made by docker/build-base-image.sh\"" \
  --change "LABEL io.beacon.base.suite=$SUITE" \
  --change "LABEL io.beacon.base.packages=$PACKAGES" \
  --change "LABEL io.beacon.base.mirror=\"$MIRROR\"" \
  --message "debootstrap $SUITE minbase + $PACKAGES from $MIRROR" \
  - "$TAG" >/dev/null
log "imported as $TAG in $((SECONDS - started))s ($(docker image inspect -f '{{.Size}}' "$TAG" | awk '{ printf "%.0f MB", $1 / 1000000 }'))"

# Smoke test: the JVM (or else etcd) starts inside the image (no network needed)
if [ ${#JAVA_ENV[@]} -gt 0 ]; then
  docker run --rm --network none "$TAG" java -version 2>&1 | sed 's/^/[base-image]   /'
fi
if [ -e "$ROOTFS/usr/bin/etcd" ]; then
  docker run --rm --network none "$TAG" etcd --version 2>&1 | sed 's/^/[base-image]   /'
fi
docker run --rm --network none "$TAG" bash -c 'command -v timeout useradd >/dev/null' \
  || die "$TAG lacks timeout or useradd"
log "ready: $TAG"
