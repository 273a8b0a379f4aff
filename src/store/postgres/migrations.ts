/**
 * Versioned schema of the PostgreSQL adapter. Migration N is applied once, in order, under a
 * transaction-level advisory lock (several processes may start together); `essfed_schema` records
 * what was applied. Never edit a released migration: append one.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: initiatives, tombstones, follows, message queues, seen log, key–value store
  `
  CREATE SEQUENCE initiative_seq;

  CREATE TABLE initiative (
    rid bigserial PRIMARY KEY,
    id text NOT NULL UNIQUE,
    seq bigint NOT NULL UNIQUE,
    source text,
    version text NOT NULL,
    updated text NOT NULL,
    record jsonb NOT NULL,
    signed text
  );
  CREATE INDEX initiative_source ON initiative (source, seq);

  CREATE TABLE tombstone (
    id text PRIMARY KEY,
    deleted text NOT NULL,
    source text,
    seq bigint NOT NULL
  );

  CREATE TABLE follower (
    actor text PRIMARY KEY,
    inbox text NOT NULL,
    shared_inbox text,
    follow_id text NOT NULL,
    state text NOT NULL,
    since text NOT NULL
  );

  CREATE TABLE following (
    actor text PRIMARY KEY,
    inbox text NOT NULL,
    follow_id text NOT NULL,
    state text NOT NULL,
    since text NOT NULL,
    directory text,
    reconciled_at text
  );

  CREATE TABLE mq (
    id bigserial PRIMARY KEY,
    queue text NOT NULL,
    payload jsonb NOT NULL,
    visible_at bigint NOT NULL,
    ordering_key text,
    attempts integer NOT NULL DEFAULT 0,
    leased boolean NOT NULL DEFAULT false
  );
  CREATE INDEX mq_visible ON mq (queue, visible_at, id);
  CREATE INDEX mq_ordering ON mq (queue, ordering_key, id) WHERE ordering_key IS NOT NULL;

  CREATE TABLE seen (id text PRIMARY KEY, at bigint NOT NULL);
  CREATE INDEX seen_at ON seen (at);

  CREATE TABLE kv (key text PRIMARY KEY, value jsonb NOT NULL, expires bigint);
  `,
];
