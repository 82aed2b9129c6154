-- The captured table, the tutorial's. Run as its owner: docker compose's POSTGRES_USER, the local demo's postgres-user.
CREATE TABLE IF NOT EXISTS customers (id TEXT PRIMARY KEY, name TEXT, age INT);
