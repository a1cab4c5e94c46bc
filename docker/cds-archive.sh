#!/usr/bin/env bash
# cds-archive.sh JAR DIR [APP_ARGS...]: readies a Spring Boot executable jar to start faster with class
# data sharing (CDS, https://docs.spring.io/spring-boot/reference/packaging/class-data-sharing.html).
#
#  1. extracts JAR into DIR (DIR/<jar file name> and DIR/lib/): the JVM can share classes only from
#     plain jars on the class path, not from the jars nested in an executable jar;
#  2. makes DIR/app.jsa in one training run: the application starts with APP_ARGS, creates its beans
#     and exits before it starts serving (spring.context.exit=onRefresh), and the JVM writes the
#     classes it loaded into the archive (-XX:ArchiveClassesAtExit).
#
# Then start the application with the same java binary:
#   java -XX:SharedArchiveFile=DIR/app.jsa -jar DIR/<jar file name> [args]
# The archive holds only for that java binary and those jars; if they change, the JVM says so and
# starts without it. Classes loaded only under other settings than APP_ARGS (e.g. the etcd client when
# trained with the memory store) load as they would without the archive.
#
# Env: JAVA (java on the PATH). Needs a JVM with a base CDS archive (every JDK 17 build ships one).
set -euo pipefail

die() { printf 'cds-archive: %s\n' "$*" >&2; exit 1; }

(( $# >= 2 )) || die "usage: cds-archive.sh JAR DIR [APP_ARGS...]"
jar=$1 dir=$2
shift 2
java=${JAVA:-java}
[[ -f $jar ]] || die "no jar at $jar"
[[ ! -e $dir || -d $dir ]] || die "$dir is not a directory"

mkdir -p "$dir"
"$java" -Djarmode=tools -jar "$jar" extract --force --destination "$dir"
app="$dir/$(basename "$jar")"
[[ -f $app ]] || die "extracting $jar gave no $app"

rm -f "$dir/app.jsa"
"$java" -XX:ArchiveClassesAtExit="$dir/app.jsa" -Dspring.context.exit=onRefresh -jar "$app" "$@" \
  || die "the training run of $app failed (exit $?)"
[[ -s $dir/app.jsa ]] || die "the training run wrote no archive: does $java have a base CDS archive (java -Xshare:dump)?"
printf 'cds-archive: %s ready; start it with: %s -XX:SharedArchiveFile=%s -jar %s\n' \
  "$app" "$java" "$dir/app.jsa" "$app"
