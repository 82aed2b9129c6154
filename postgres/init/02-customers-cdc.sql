-- customers-cdc's login and what it may do, Debezium's documented minimum for pgoutput with a publication made
-- here: REPLICATION and LOGIN, SELECT on the captured table and the signal table, INSERT on the signal table (its
-- incremental snapshots' watermarks, incremental.snapshot.watermarking.strategy insert_insert). Nothing else: it owns
-- nothing and can create nothing. Run by a superuser (only one may give REPLICATION) in the captured database, after
-- 01-customers.sql; idempotent. The password is set apart (03-passwords.sh in docker compose, the demo's launcher).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'customers_cdc') THEN
    CREATE ROLE customers_cdc LOGIN REPLICATION NOSUPERUSER NOCREATEDB NOCREATEROLE;
  END IF;
END $$;

-- Debezium's signal table: ./pipeline snapshot's watermarks, and any signal Debezium finds in it (its source channel,
-- which incremental snapshots need on). Owned by the administrator and writable by customers-cdc alone, so no
-- application login can start a snapshot through it.
CREATE TABLE IF NOT EXISTS debezium_signal (id VARCHAR(42) PRIMARY KEY, type VARCHAR(32) NOT NULL, data VARCHAR(2048) NULL);
REVOKE ALL ON debezium_signal FROM PUBLIC;

GRANT SELECT ON customers TO customers_cdc;
GRANT SELECT, INSERT ON debezium_signal TO customers_cdc;

-- No objects of its own, temporary ones included (PostgreSQL 15 already keeps PUBLIC out of schema public).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
DO $$
BEGIN
  EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END $$;

-- The publication Debezium streams from (publication.autocreate.mode=disabled): adding a table to one takes its
-- owner, which customers-cdc is not.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'customers_cdc') THEN
    CREATE PUBLICATION customers_cdc FOR TABLE customers, debezium_signal;
  END IF;
END $$;
