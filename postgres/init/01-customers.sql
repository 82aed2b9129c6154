-- The captured table. The user and database (postgres-user / customers) come from the image's
-- POSTGRES_USER / POSTGRES_DB in docker-compose, and from the local demo's launcher.
CREATE TABLE IF NOT EXISTS customers (id TEXT PRIMARY KEY, name TEXT, age INT);
-- Debezium's signal table: ad-hoc incremental snapshots (./pipeline snapshot customers) write their watermarks here.
-- customers-cdc also creates it when missing; it must exist before capture starts, so its publication includes it.
CREATE TABLE IF NOT EXISTS debezium_signal (id VARCHAR(42) PRIMARY KEY, type VARCHAR(32) NOT NULL, data VARCHAR(2048) NULL);
