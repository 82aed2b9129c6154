-- The captured table. The user and database (postgres-user / customers) come from the image's
-- POSTGRES_USER / POSTGRES_DB in docker-compose, and from the local demo's launcher.
CREATE TABLE IF NOT EXISTS customers (id TEXT PRIMARY KEY, name TEXT, age INT);
