/**
 * Versioned schema of the SQLite adapter. Migration N brings `PRAGMA user_version` from N-1 to N;
 * never edit a released migration, append a new one.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  // 1: initiatives, tombstones, follows, message queues, seen log, key–value store
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
  INSERT INTO meta (key, value) VALUES ('seq', 0);

  CREATE TABLE initiative (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    seq INTEGER NOT NULL UNIQUE,
    source TEXT,
    version TEXT NOT NULL,
    updated TEXT NOT NULL,
    record TEXT NOT NULL,
    signed TEXT
  ) STRICT;
  CREATE INDEX initiative_source ON initiative (source, seq);

  CREATE TABLE tombstone (
    id TEXT PRIMARY KEY,
    deleted TEXT NOT NULL,
    source TEXT,
    seq INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE follower (
    actor TEXT PRIMARY KEY,
    inbox TEXT NOT NULL,
    shared_inbox TEXT,
    follow_id TEXT NOT NULL,
    state TEXT NOT NULL,
    since TEXT NOT NULL
  ) STRICT;

  CREATE TABLE following (
    actor TEXT PRIMARY KEY,
    inbox TEXT NOT NULL,
    follow_id TEXT NOT NULL,
    state TEXT NOT NULL,
    since TEXT NOT NULL,
    directory TEXT,
    reconciled_at TEXT
  ) STRICT;

  -- Durable message queues (see src/store/queue.ts); "delivery" holds outgoing activities.
  CREATE TABLE mq (
    id INTEGER PRIMARY KEY,
    queue TEXT NOT NULL,
    payload TEXT NOT NULL,
    visible_at INTEGER NOT NULL,
    ordering_key TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    leased INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX mq_visible ON mq (queue, visible_at, id);
  CREATE INDEX mq_ordering ON mq (queue, ordering_key, id) WHERE ordering_key IS NOT NULL;

  CREATE TABLE seen (id TEXT PRIMARY KEY, at INTEGER NOT NULL) STRICT;

  CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER) STRICT;
  `,
];
