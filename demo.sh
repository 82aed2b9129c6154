#!/usr/bin/env bash
# Runs the whole pipeline end to end on embedded engines (no Docker): ./demo.sh [--no-seed]
# Also the demo's small clients: ./demo.sh sql "<statement>" | mongo <collection> '<json>' | live-step
set -euo pipefail
cd "$(dirname "$0")"
jars=(customers-cdc logistics-cdc enrichment-service shipment-join-service es-sink-service pipeline-demo)
missing=0
for m in "${jars[@]}"; do
  [ -f "$m/target/$m.jar" ] || missing=1
done
if [ "$missing" = 1 ]; then
  echo "[demo] building the services first (mvn -B -q -DskipTests install; a few minutes the first time)"
  mvn -B -q -DskipTests install
fi
exec java -Xmx2g -Ddemo.root="$PWD" -jar pipeline-demo/target/pipeline-demo.jar "$@"
