#!/usr/bin/env bash
# The pipeline's figures on this machine:
#   ./benchmark.sh [records-per-replay] [changes-per-second,...] [seconds] [latency-runs]
# (defaults 50000, 1000, 60, 3; several rates are steps of load, each held that many seconds, and after the last
# steps half again as high until one is not held at p99 <= 1 s: the capacity; the latency figures are the
# median of the latency runs, each on engines started afresh; seconds 0: no latency run;
# BENCHMARK_STAGES=a,b: only those services' replays; BENCHMARK_PROFILE=true: JFR profiles of the replays;
# --profiles exactly-once,low-latency: the delivery profiles whose latency runs stand side by side, the default both).
# Prints a table and writes .benchmark/results.json and report.html; work files in .benchmark/.
#   ./benchmark.sh failover [orders] [--standbys 0,1] [--session-timeout-ms 10000]
# (default 1000000 orders held by two shipment-join-service instances; one killed with its state directory deleted,
# once per standby setting: the time until the survivor serves every partition and the first change after is indexed;
# adds `failover` to .benchmark/results.json).
#   ./benchmark.sh backfill [customers] [orders] [--live 100]
# (default 1000000 customers and 2000000 orders: the sources filled first, then the pipeline started and the history
# backfilled by incremental snapshots while a live load runs; adds `backfill` to .benchmark/results.json and report.html).
# BENCHMARK_HEAP: this JVM's -Xmx (3g; 14g for backfill, whose MongoDB stand-in holds every document in it: the defaults used
# 12.7 GB, the stand-in 4.2 GB of it; a smaller backfill needs less).
set -euo pipefail
cd "$(dirname "$0")"
for m in customers-cdc logistics-cdc enrichment-service shipment-join-service es-sink-service pipeline-benchmark; do
  if [ ! -f "$m/target/$m.jar" ]; then
    echo "[demo] building the services first (mvn -B -q -DskipTests install)"
    mvn -B -q -DskipTests install
    break
  fi
done
heap=${BENCHMARK_HEAP:-3g}
if [ "${1:-}" = backfill ] && [ -z "${BENCHMARK_HEAP:-}" ]; then
  heap=14g
fi
exec java -Xmx"$heap" -Ddemo.root="$PWD" -jar pipeline-benchmark/target/pipeline-benchmark.jar "$@"
