#!/usr/bin/env bash
# docker compose's secrets service, run before anything else at every start. Each password is the one .env.local sets
# (POSTGRES_PASSWORD, CUSTOMERS_CDC_POSTGRES_PASSWORD, MONGO_ROOT_PASSWORD, LOGISTICS_CDC_MONGO_PASSWORD,
# GRAFANA_ADMIN_PASSWORD) or, without
# one, made at random; either way at the first start only, as the databases keep what their init set. The operator's
# token is .env.local's OPS_TOKEN, written again at each start; without it the file is empty and the services' control
# endpoints are off. Each service gets a volume of its own holding only what it needs, readable by its user alone.
set -euo pipefail
umask 077
store=${SECRETS_STORE:-/secrets}
out=${SECRETS_OUT:-/out}

# The values, kept in a volume only this service mounts.
value() { # <name> <setting in .env.local>
  local file="$store/$1"
  if [ ! -s "$file" ]; then
    if [ -n "${!2:-}" ]; then
      printf '%s' "${!2}" > "$file"
    else
      head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' > "$file"
    fi
  fi
  cat "$file"
}

# One file of one service's volume, owned by that service's user (999: postgres and mongodb; 472: grafana; 10001:
# the pipeline's images).
put() { # <volume> <uid> <file> <content>
  printf '%s' "$4" > "$out/$1/$3.new"
  if [ "$(id -u)" = 0 ]; then chown "$2:$2" "$out/$1/$3.new"; fi
  chmod 0400 "$out/$1/$3.new"
  mv -f "$out/$1/$3.new" "$out/$1/$3"
}

# A password inside a URI: every byte but letters, digits and -._~ percent-encoded.
uri_encode() {
  local s="$1" out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c="${s:i:1}"
    case "$c" in
      [A-Za-z0-9._~-]) out+="$c" ;;
      *) out+=$(printf '%%%02X' "'$c") ;;
    esac
  done
  printf '%s' "$out"
}

postgres=$(value postgres-password POSTGRES_PASSWORD)
customers_cdc=$(value customers-cdc-postgres-password CUSTOMERS_CDC_POSTGRES_PASSWORD)
mongo_root=$(value mongo-root-password MONGO_ROOT_PASSWORD)
logistics_cdc=$(value logistics-cdc-mongo-password LOGISTICS_CDC_MONGO_PASSWORD)
grafana=$(value grafana-admin-password GRAFANA_ADMIN_PASSWORD)
token="${OPS_TOKEN:-}"

put postgres 999 postgres-password "$postgres"
put postgres 999 customers-cdc-password "$customers_cdc"
put mongo 999 root-password "$mongo_root"
put mongo 999 logistics-cdc-password "$logistics_cdc"
put customers-cdc 10001 postgres-password "$customers_cdc"
put customers-cdc 10001 ops-token "$token"
put logistics-cdc 10001 mongo-password "$logistics_cdc"
put logistics-cdc 10001 ops-token "$token"
put services 10001 ops-token "$token"
put grafana 472 admin-password "$grafana"
put loader 10001 postgres-password "$postgres"
put loader 10001 mongo-uri "mongodb://root:$(uri_encode "$mongo_root")@mongo:27017/?replicaSet=my-replica-set&authSource=admin"
echo "secrets ready; operator control $([ -n "$token" ] && echo on || echo "off (set OPS_TOKEN in .env.local to turn it on)")"
