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
  // 2: the search index (src/store/sqlite/search.sqlite.ts), keyed by each record's change number
  // and kept up to date from the change order by an indexer, so writes stay fast.
  `
  INSERT INTO meta (key, value) VALUES ('indexed_seq', 0);
  CREATE TABLE search (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    updated INTEGER NOT NULL,
    lat REAL,
    lon REAL
  ) STRICT;
  CREATE INDEX search_updated ON search (updated);
  CREATE TABLE facet (name TEXT NOT NULL, value TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (name, value, seq))
    STRICT, WITHOUT ROWID;
  CREATE INDEX facet_seq ON facet (seq, name, value);
  CREATE TABLE facet_count (name TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (name, value))
    STRICT, WITHOUT ROWID;
  CREATE TABLE geo_cell (lat_idx INTEGER NOT NULL, lon_idx INTEGER NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (lat_idx, lon_idx)) STRICT, WITHOUT ROWID;
  CREATE VIRTUAL TABLE search_fts USING fts5(name, description, content='', contentless_delete=1,
    tokenize='unicode61 remove_diacritics 2', prefix='2 3');
  CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_fts, row);
  CREATE VIRTUAL TABLE search_geo USING rtree(seq, min_lat, max_lat, min_lon, max_lon);
  `,
  // 3: records without coordinates (the map lists them apart, since it cannot show them) are
  // found without reading every row: few records lack a place.
  `
  CREATE INDEX search_unlocated ON search (seq) WHERE lat IS NULL;
  `,
  // 4: the team: accounts, one-time sign-in links, sessions (links and session tokens kept as
  // hashes), and the audit log of who changed what.
  `
  CREATE TABLE account (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL,
    password_hash TEXT,
    created TEXT NOT NULL
  ) STRICT;
  CREATE TABLE signin_link (token_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL, expires TEXT NOT NULL) STRICT;
  CREATE INDEX signin_link_account ON signin_link (account_id);
  CREATE TABLE session (id TEXT PRIMARY KEY, account_id TEXT NOT NULL, csrf TEXT NOT NULL, created TEXT NOT NULL,
    expires TEXT NOT NULL) STRICT;
  CREATE INDEX session_account ON session (account_id);
  CREATE INDEX session_expires ON session (expires);
  CREATE TABLE audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    reason TEXT,
    detail TEXT
  ) STRICT;
  CREATE INDEX audit_target ON audit (target, seq);
  `,
  // 5: curation (src/store/curation.ts): source policies, records withheld from service (hidden or
  // from a blocked source, kept with their signed document), and the queue of what waits for a decision.
  `
  CREATE TABLE source_policy (source TEXT PRIMARY KEY, policy TEXT NOT NULL, reason TEXT, at TEXT NOT NULL) STRICT;
  CREATE TABLE withheld (
    n INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source TEXT,
    state TEXT NOT NULL,
    reason TEXT,
    at TEXT NOT NULL,
    updated TEXT NOT NULL,
    record TEXT NOT NULL,
    signed TEXT
  ) STRICT;
  CREATE INDEX withheld_source ON withheld (source, state);
  CREATE TABLE review_queue (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    record TEXT,
    signed TEXT,
    text TEXT,
    sender TEXT,
    received TEXT NOT NULL
  ) STRICT;
  CREATE INDEX review_queue_target ON review_queue (target, n);
  CREATE INDEX review_queue_kind ON review_queue (kind, n);
  `,
  // 6: duplicates (src/store/duplicates.ts): every record written, changed or removed is noted in
  // dup_pending by triggers, in the writing transaction, for the duplicate finder; its blocking keys
  // and the candidate pairs with their decisions. Records already held are noted once here.
  `
  CREATE TABLE dup_pending (id TEXT PRIMARY KEY, n INTEGER NOT NULL) STRICT;
  CREATE TABLE dup_key (key TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (key, id)) STRICT, WITHOUT ROWID;
  CREATE INDEX dup_key_id ON dup_key (id);
  CREATE TABLE dup_pair (
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    score REAL NOT NULL,
    reasons TEXT NOT NULL,
    state TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    updated TEXT NOT NULL,
    PRIMARY KEY (a, b)
  ) STRICT;
  CREATE INDEX dup_pair_b ON dup_pair (b);
  CREATE INDEX dup_pair_state ON dup_pair (state, score);
  CREATE TRIGGER dup_note_insert AFTER INSERT ON initiative BEGIN
    INSERT INTO dup_pending (id, n) VALUES (new.id, 0) ON CONFLICT (id) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER dup_note_update AFTER UPDATE OF id, record ON initiative BEGIN
    INSERT INTO dup_pending (id, n) VALUES (new.id, 0) ON CONFLICT (id) DO UPDATE SET n = n + 1;
    INSERT INTO dup_pending (id, n) SELECT old.id, 0 WHERE old.id <> new.id ON CONFLICT (id) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER dup_note_delete AFTER DELETE ON initiative BEGIN
    INSERT INTO dup_pending (id, n) VALUES (old.id, 0) ON CONFLICT (id) DO UPDATE SET n = n + 1;
  END;
  INSERT INTO dup_pending (id, n) SELECT id, 0 FROM initiative ORDER BY seq;
  `,
  // 7: listings confirmed to be one organisation (src/duplicates/groups.ts): each member of a group
  // of confirmed pairs, the group (its smallest IRI) and whether it is the listing shown for the
  // group when results collapse duplicates; the others are left out of collapsed results.
  `
  CREATE TABLE dup_member (id TEXT PRIMARY KEY, grp TEXT NOT NULL, shown INTEGER NOT NULL) STRICT;
  CREATE INDEX dup_member_grp ON dup_member (grp);
  CREATE INDEX dup_member_hidden ON dup_member (id) WHERE shown = 0;
  `,
  // 8: records in SPARQL's name order, translated ones first (ADR 26).
  `
  CREATE INDEX initiative_name ON initiative
    (json_type(record, '$.initiative.translations') IS NULL, json_extract(record, '$.initiative.name'), seq);
  `,
  // 9: the duplicate finder reads what was written from the change order (records and tombstones
  // above `dup_seq`) instead of a note per write: the insert trigger cost a bulk import about a fifth
  // of its time. Every insert or update of a record takes a change number; removals without a
  // tombstone (purges, curation, id rewrites) are still noted by the delete trigger.
  `
  DROP TRIGGER dup_note_insert;
  DROP TRIGGER dup_note_update;
  DROP TRIGGER dup_note_delete;
  INSERT INTO meta (key, value) SELECT 'dup_seq', value FROM meta WHERE key = 'seq';
  CREATE INDEX tombstone_seq ON tombstone (seq);
  CREATE TRIGGER dup_note_delete AFTER DELETE ON initiative
  WHEN NOT EXISTS (SELECT 1 FROM tombstone WHERE id = old.id AND seq > (SELECT value FROM meta WHERE key = 'dup_seq'))
  BEGIN
    INSERT INTO dup_pending (id, n) VALUES (old.id, 0) ON CONFLICT (id) DO UPDATE SET n = n + 1;
  END;
  `,
  // 10: (an index of records by primary activity for SPARQL's counts, ADR 26, dropped the day it came:
  // it made every write of a record about a third slower; see migration 13.)
  `
  DROP INDEX IF EXISTS initiative_primary;
  `,
  // 11: each indexed record's facets (name and value pairs, JSON) in one row by change number, for
  // unindexing it, instead of a second index on `facet`: six index entries of two IRIs each per
  // record cost about a seventh of indexing.
  `
  CREATE TABLE facet_list (seq INTEGER PRIMARY KEY, list TEXT NOT NULL) STRICT;
  INSERT INTO facet_list (seq, list)
    SELECT seq, json_group_array(json_array(name, value)) FROM facet INDEXED BY facet_seq GROUP BY seq;
  DROP INDEX facet_seq;
  `,
  // 12: sameAs links other networks decided and sent us, adopted with their provenance (ADR 27).
  `
  CREATE TABLE dup_adopted (
    publisher TEXT NOT NULL,
    linkset TEXT NOT NULL,
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    score REAL NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (publisher, a, b)
  ) STRICT;
  `,
  // 13: stores that built the primary-activity index under migration 10 lose it.
  `
  DROP INDEX IF EXISTS initiative_primary;
  `,
  // 14: plain columns written beside the record's JSON at every write (ADR 30, src/store/shape-columns.ts): SPARQL's
  // whole-dataset answers read them instead of the JSON. The name-order index (ADR 26) moves onto them, so a write no
  // longer evaluates its expressions over the JSON; counts by primary activity read their own small index.
  `
  ALTER TABLE initiative ADD COLUMN name TEXT;
  ALTER TABLE initiative ADD COLUMN plain INTEGER;
  ALTER TABLE initiative ADD COLUMN primary_activity TEXT;
  ALTER TABLE initiative ADD COLUMN lat REAL;
  ALTER TABLE initiative ADD COLUMN lng REAL;
  UPDATE initiative SET name = json_extract(record, '$.initiative.name'),
    plain = json_type(record, '$.initiative.translations') IS NULL,
    primary_activity = json_extract(record, '$.initiative.primaryActivity'),
    lat = CASE json_type(record, '$.initiative.address.lat') WHEN 'real'
      THEN json_extract(record, '$.initiative.address.lat')
      WHEN 'integer' THEN json_extract(record, '$.initiative.address.lat') END,
    lng = CASE json_type(record, '$.initiative.address.long') WHEN 'real'
      THEN json_extract(record, '$.initiative.address.long')
      WHEN 'integer' THEN json_extract(record, '$.initiative.address.long') END;
  DROP INDEX initiative_name;
  CREATE INDEX initiative_name ON initiative (plain, name, seq);
  CREATE INDEX initiative_primary_activity ON initiative (primary_activity);
  `,
  // 15: a record's documents carry the links adopted about it (ADR 33): looked up by either side of the pair.
  `
  CREATE INDEX dup_adopted_a ON dup_adopted (a);
  CREATE INDEX dup_adopted_b ON dup_adopted (b);
  `,
  // 16: the name-order index also holds the rest of the plain columns (ADR 34), so SPARQL's whole-dataset answers read
  // the index alone instead of every record's row (whose JSON comes before those columns).
  `
  DROP INDEX initiative_name;
  CREATE INDEX initiative_name ON initiative (plain, name, seq, id, primary_activity, lat, lng);
  `,
  // 17: migration 16's wider name index made every write of a record about 17 µs slower (random inserts of wider
  // entries); the plain columns get their own index in change order instead, appended to at each write (ADR 34).
  `
  DROP INDEX initiative_name;
  CREATE INDEX initiative_name ON initiative (plain, name, seq);
  CREATE INDEX initiative_shape ON initiative (seq, plain, id, name, primary_activity, lat, lng);
  `,
  // 18: facet rows keyed by a small number per facet value (facet_value: name and value IRI, never removed) instead of
  // the name and the IRI themselves: six entries of two IRIs per record made them the largest part of an import's
  // index build (ADR 40).
  `
  CREATE TABLE facet_value (id INTEGER PRIMARY KEY, name TEXT NOT NULL, value TEXT NOT NULL, UNIQUE (name, value))
    STRICT;
  INSERT INTO facet_value (name, value) SELECT DISTINCT name, value FROM facet ORDER BY name, value;
  CREATE TABLE facet_by_value (vid INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (vid, seq))
    STRICT, WITHOUT ROWID;
  INSERT INTO facet_by_value (vid, seq)
    SELECT v.id, f.seq FROM facet f JOIN facet_value v ON v.name = f.name AND v.value = f.value ORDER BY 1, 2;
  DROP TABLE facet;
  ALTER TABLE facet_by_value RENAME TO facet;
  `,
  // 19: the keys SPARQL lookups find a record by besides its name (postcode, registration identifiers, Companies House
  // number; ADR 42, src/store/lookup-keys.ts): a plain column written with the record, and an index of each key to
  // the records holding it, kept by triggers in the same statement (only records with keys cost a write more).
  `
  ALTER TABLE initiative ADD COLUMN lookup_keys TEXT;
  UPDATE initiative SET lookup_keys = (
    SELECT json_group_array(k) FROM (
      SELECT DISTINCT k FROM (
        SELECT 'p:' || json_extract(record, '$.initiative.address.postcode') AS k
          WHERE json_type(record, '$.initiative.address.postcode') = 'text'
        UNION ALL
        SELECT 'i:' || json_extract(r.value, '$.register') || '-' || json_extract(r.value, '$.number')
          FROM json_each(record, '$.initiative.registrations') AS r
        UNION ALL
        SELECT 'c:' || json_extract(record, '$.initiative.companiesHouseNumber')
          WHERE json_type(record, '$.initiative.companiesHouseNumber') = 'text'
            AND json_extract(record, '$.initiative.companiesHouseNumber') <> ''
      )
    ) HAVING count(*) > 0
  );
  CREATE TABLE initiative_key (key TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (key, seq)) STRICT, WITHOUT ROWID;
  INSERT INTO initiative_key (key, seq)
    SELECT k.value, i.seq FROM initiative i, json_each(i.lookup_keys) AS k WHERE i.lookup_keys IS NOT NULL
    ORDER BY 1, 2;
  CREATE TRIGGER initiative_key_insert AFTER INSERT ON initiative WHEN new.lookup_keys IS NOT NULL BEGIN
    INSERT INTO initiative_key (key, seq) SELECT value, new.seq FROM json_each(new.lookup_keys);
  END;
  CREATE TRIGGER initiative_key_update AFTER UPDATE OF seq, lookup_keys ON initiative
    WHEN old.lookup_keys IS NOT NULL OR new.lookup_keys IS NOT NULL BEGIN
    DELETE FROM initiative_key WHERE seq = old.seq AND key IN (SELECT value FROM json_each(old.lookup_keys));
    INSERT INTO initiative_key (key, seq) SELECT value, new.seq FROM json_each(new.lookup_keys);
  END;
  CREATE TRIGGER initiative_key_delete AFTER DELETE ON initiative WHEN old.lookup_keys IS NOT NULL BEGIN
    DELETE FROM initiative_key WHERE seq = old.seq AND key IN (SELECT value FROM json_each(old.lookup_keys));
  END;
  `,
  // 20: migration 19's insert and update triggers cost every insert of a record about 40 µs even when their WHEN was
  // false (a bulk import a quarter slower); the store writes the keys beside the row instead (ADR 42,
  // src/store/sqlite/keys.sqlite.ts). Removals keep the delete trigger.
  `
  DROP TRIGGER initiative_key_insert;
  DROP TRIGGER initiative_key_update;
  `,
  // 21: each record's facet list holds the numbers of its facet values (migration 18) instead of their names and IRIs:
  // after the records it was the largest table of the index (about 400 MB of IRI pairs at a million records), written
  // twice by an import's index build (to the WAL and at the checkpoint). Every pair listed has had a number since
  // migration 18 numbered the facet rows; one that has none is numbered first all the same, so none is lost.
  `
  INSERT OR IGNORE INTO facet_value (name, value)
    SELECT DISTINCT f.value ->> 0, f.value ->> 1 FROM facet_list l, json_each(l.list) f ORDER BY 1, 2;
  UPDATE facet_list SET list = (
    SELECT json_group_array(v.id ORDER BY f.key) FROM json_each(facet_list.list) f
    JOIN facet_value v ON v.name = f.value ->> 0 AND v.value = f.value ->> 1
  );
  `,
];
