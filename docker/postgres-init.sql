-- The demo profile keeps each network in its own schema of one database; essfed creates the
-- schema named in its DATABASE_URL on first start. Nothing else to prepare.
SELECT 1;
