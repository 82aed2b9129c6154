# docker compose only (sourced by the image's entrypoint after 01 and 02): customers-cdc's password, as compose's
# secrets service made it. The local demo sets its own.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" --no-psqlrc \
  -v password="$(cat /run/secrets/pipeline/customers-cdc-password)" <<'SQL'
ALTER ROLE customers_cdc PASSWORD :'password';
SQL
