#!/usr/bin/env bash
# One-command demo on this machine: no Docker, nothing but Java 17+.
# Builds the jars when they are missing or older than the sources, then runs demo/Demo.java, with
# Jackson (taken from the registry's executable jar) on its class path to read the JSON answers.
#   ./demo.sh                  the narrated walkthrough, then stops everything
#   ./demo.sh --keep-running   leaves the stack running for exploring (Ctrl-C stops it)
set -euo pipefail
cd "$(dirname "$0")"

jars=(registry-server/target/registry-server-exec.jar
      sample-payment-service/target/sample-payment-service.jar
      sample-order-service/target/sample-order-service.jar
      sample-gateway/target/sample-gateway.jar
      beacon-sidecar/target/beacon-sidecar.jar)
stale=0
for jar in "${jars[@]}"; do
  if [[ ! -f $jar ]] || [[ -n $(find pom.xml ./*/pom.xml ./*/src -newer "$jar" -type f -print -quit 2>/dev/null) ]]; then
    stale=1
  fi
done
if (( stale )); then
  echo "Building the registry, the sample services and the sidecar (./mvnw package, tests skipped)..."
  ./mvnw -B -q package -DskipTests
fi
registry_jar=registry-server/target/registry-server-exec.jar
libs=.demo/registry-jar/lib
if [[ ! -d $libs || $registry_jar -nt $libs ]]; then
  rm -rf .demo/registry-jar
  java -Djarmode=tools -jar "$registry_jar" extract --destination .demo/registry-jar > /dev/null
fi
jackson=("$libs"/jackson-core-*.jar "$libs"/jackson-databind-*.jar "$libs"/jackson-annotations-*.jar)
classpath=$(IFS=:; echo "${jackson[*]}")
exec java -cp "$classpath" -Dbeacon.root="$PWD" demo/Demo.java "$@"
