#!/usr/bin/env bash
# Runs the whole pipeline end to end on embedded engines (no Docker). ./demo.sh help tells every command and setting.
set -euo pipefail
cd "$(dirname "$0")"
case "${1:-}" in
  help|--help|-h) cat pipeline-demo/src/main/resources/demo-usage.txt; exit 0 ;;
esac
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
