/**
 * Versioned schema of the PostgreSQL adapter. Migration N is applied once, in order, under a
 * transaction-level advisory lock (several processes may start together); `essfed_schema` records
 * what was applied. Never edit a released migration: append one.
 */
/**
 * A statement-level trigger function that applies the count deltas of `rows` (record, source, d):
 * +1 for each facet value and 1° cell of a new row, -1 of an old one, in key order.
 */
function countsFunction(name: string, rows: string): string {
  return `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO facet_count (name, value, n)
      SELECT f.name, f.value, sum(x.d) FROM (${rows}) x, LATERAL essfed_facets(x.record, x.source) f
      GROUP BY f.name, f.value ORDER BY f.name, f.value
      ON CONFLICT (name, value) DO UPDATE SET n = facet_count.n + excluded.n;
    INSERT INTO geo_cell (lat_idx, lon_idx, n)
      SELECT least(179, floor(essfed_lat(x.record) + 90))::int, least(359, floor(essfed_lon(x.record) + 180))::int,
        sum(x.d)
      FROM (${rows}) x WHERE essfed_point(x.record) IS NOT NULL
      GROUP BY 1, 2 ORDER BY 1, 2
      ON CONFLICT (lat_idx, lon_idx) DO UPDATE SET n = geo_cell.n + excluded.n;
    RETURN NULL;
  END $$;`;
}

/**
 * The same, with each delta applied to the caller's shard of the counter (one of 16, by backend):
 * concurrent writers of one source, country or cell no longer queue on one counter row's lock
 * until each other's commit. Readers sum the shards.
 */
function shardedCountsFunction(name: string, rows: string): string {
  return `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE s smallint := (pg_backend_pid() % 16)::smallint;
  BEGIN
    INSERT INTO facet_count (name, value, shard, n)
      SELECT f.name, f.value, s, sum(x.d) FROM (${rows}) x, LATERAL essfed_facets(x.record, x.source) f
      GROUP BY f.name, f.value ORDER BY f.name, f.value
      ON CONFLICT (name, value, shard) DO UPDATE SET n = facet_count.n + excluded.n;
    INSERT INTO geo_cell (lat_idx, lon_idx, shard, n)
      SELECT least(179, floor(essfed_lat(x.record) + 90))::int, least(359, floor(essfed_lon(x.record) + 180))::int,
        s, sum(x.d)
      FROM (${rows}) x WHERE essfed_point(x.record) IS NOT NULL
      GROUP BY 1, 2 ORDER BY 1, 2
      ON CONFLICT (lat_idx, lon_idx, shard) DO UPDATE SET n = geo_cell.n + excluded.n;
    RETURN NULL;
  END $$;`;
}

/**
 * An `initiative_search` row (seq, search_point, search_text, facet_ids, updated) computed from an
 * `initiative` row; `r` qualifies its columns (e.g. "n."). One definition for the migration's copy
 * and the triggers that keep the table in step.
 */
const searchRow = (r = "") =>
  `${r}seq, essfed_point(${r}record), strip(essfed_text(${r}record)), ` +
  `essfed_facet_ids(essfed_facet_keys(${r}record, ${r}source)), ${r}updated`;

/** The rows an UPDATE changed, for the count triggers: each new row counts in, each old row out. */
const UPDATED_ROWS = "SELECT record, source, 1 AS d FROM new_rows UNION ALL SELECT record, source, -1 FROM old_rows";

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
  // 2: search — expression indexes on the records themselves (always in step with writes), and
  // facet and 1° cell counts kept by statement-level triggers (deltas applied in key order, so
  // concurrent writers never deadlock on them).
  `
  CREATE FUNCTION essfed_text(r jsonb) RETURNS tsvector IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT to_tsvector('simple', concat_ws(' ', r->'initiative'->>'name',
      regexp_replace(coalesce(r->'initiative'->>'description', ''), '<[^>]*>', ' ', 'g'),
      r->'initiative'->'address'->>'locality', r->'initiative'->'address'->>'region',
        r->'initiative'->'address'->>'postcode'))
  $$;
  CREATE FUNCTION essfed_lat(r jsonb) RETURNS float8 IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT coalesce(r->'initiative'->'address'->>'lat', r->'initiative'->'address'->>'geoContainerLat')::float8
  $$;
  CREATE FUNCTION essfed_lon(r jsonb) RETURNS float8 IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT coalesce(r->'initiative'->'address'->>'long', r->'initiative'->'address'->>'geoContainerLong')::float8
  $$;
  CREATE FUNCTION essfed_point(r jsonb) RETURNS point IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT CASE WHEN essfed_lat(r) IS NULL OR essfed_lon(r) IS NULL THEN NULL
      ELSE point(essfed_lon(r), essfed_lat(r)) END
  $$;
  CREATE FUNCTION essfed_facets(r jsonb, src text)
    RETURNS TABLE (name text, value text) IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT DISTINCT 'activity', v FROM (
      SELECT r->'initiative'->>'primaryActivity' AS v
      UNION ALL SELECT jsonb_array_elements_text(coalesce(r->'initiative'->'activities', '[]'))) a WHERE v IS NOT NULL
    UNION ALL SELECT DISTINCT 'structure',
      jsonb_array_elements_text(coalesce(r->'initiative'->'organisationalStructure', '[]'))
    UNION ALL SELECT 'membership', r->'initiative'->>'baseMembershipType'
      WHERE r->'initiative'->>'baseMembershipType' IS NOT NULL
    UNION ALL SELECT DISTINCT 'qualifier', jsonb_array_elements_text(coalesce(r->'initiative'->'qualifiers', '[]'))
    UNION ALL SELECT 'country', r->'initiative'->>'country' WHERE r->'initiative'->>'country' IS NOT NULL
    UNION ALL SELECT 'source', coalesce(src, 'local')
  $$;

  CREATE FUNCTION essfed_facet_keys(r jsonb, src text) RETURNS text[] IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
    SELECT coalesce(array_agg(name || ' ' || value), '{}') FROM essfed_facets(r, src)
  $$;
  -- Stored, so that index rechecks and facet counts read a few small columns, not the record.
  ALTER TABLE initiative
    ADD COLUMN search_text tsvector GENERATED ALWAYS AS (essfed_text(record)) STORED,
    ADD COLUMN search_point point GENERATED ALWAYS AS (essfed_point(record)) STORED,
    ADD COLUMN facet_keys text[] GENERATED ALWAYS AS (essfed_facet_keys(record, source)) STORED;
  CREATE INDEX initiative_text ON initiative USING gin (search_text);
  CREATE INDEX initiative_facets ON initiative USING gin (facet_keys);
  CREATE INDEX initiative_point ON initiative USING gist (search_point);
  CREATE INDEX initiative_updated ON initiative (updated);

  CREATE TABLE facet_count (name text NOT NULL, value text NOT NULL, n bigint NOT NULL, PRIMARY KEY (name, value));
  CREATE TABLE geo_cell (lat_idx integer NOT NULL, lon_idx integer NOT NULL, n bigint NOT NULL,
    PRIMARY KEY (lat_idx, lon_idx));

  ${countsFunction("essfed_counts_insert", "SELECT record, source, 1 AS d FROM new_rows")}
  ${countsFunction("essfed_counts_update", UPDATED_ROWS)}
  ${countsFunction("essfed_counts_delete", "SELECT record, source, -1 AS d FROM old_rows")}
  CREATE TRIGGER initiative_counts_insert AFTER INSERT ON initiative REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION essfed_counts_insert();
  CREATE TRIGGER initiative_counts_update AFTER UPDATE ON initiative
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION essfed_counts_update();
  CREATE TRIGGER initiative_counts_delete AFTER DELETE ON initiative REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION essfed_counts_delete();
  INSERT INTO facet_count (name, value, n) SELECT f.name, f.value, count(*)
    FROM initiative i, LATERAL essfed_facets(i.record, i.source) f GROUP BY 1, 2;
  INSERT INTO geo_cell (lat_idx, lon_idx, n)
    SELECT least(179, floor(essfed_lat(record) + 90))::int, least(359, floor(essfed_lon(record) + 180))::int, count(*)
    FROM initiative WHERE essfed_point(record) IS NOT NULL GROUP BY 1, 2;
  `,
  // 3: counter rows sharded by writer, so concurrent inbox writes do not serialise on them
  `
  ALTER TABLE facet_count ADD COLUMN shard smallint NOT NULL DEFAULT 0;
  ALTER TABLE facet_count DROP CONSTRAINT facet_count_pkey, ADD PRIMARY KEY (name, value, shard);
  ALTER TABLE geo_cell ADD COLUMN shard smallint NOT NULL DEFAULT 0;
  ALTER TABLE geo_cell DROP CONSTRAINT geo_cell_pkey, ADD PRIMARY KEY (lat_idx, lon_idx, shard);
  ${shardedCountsFunction("essfed_counts_insert", "SELECT record, source, 1 AS d FROM new_rows")}
  ${shardedCountsFunction("essfed_counts_update", UPDATED_ROWS)}
  ${shardedCountsFunction("essfed_counts_delete", "SELECT record, source, -1 AS d FROM old_rows")}
  `,
  // 4: search conditions move to a narrow side table, one ~370-byte row per record, so that scans
  // over many matches read a fifth of the pages they read in the ~2 KB record rows (ADR 8).
  // Facet values are kept as 64-bit hashes of "name value"; word vectors without positions.
  `
  CREATE FUNCTION essfed_facet_ids(keys text[]) RETURNS bigint[] IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql AS $$
    SELECT coalesce(array_agg(hashtextextended(k, 0)), '{}') FROM unnest(keys) k
  $$;
  -- Writers (older processes still running) wait until the triggers below exist, so no write
  -- falls between the copy and them.
  LOCK TABLE initiative IN SHARE MODE;
  CREATE TABLE initiative_search (
    seq bigint PRIMARY KEY,
    search_point point,
    search_text tsvector NOT NULL,
    facet_ids bigint[] NOT NULL,
    updated text NOT NULL
  );
  INSERT INTO initiative_search SELECT ${searchRow()} FROM initiative ORDER BY seq;
  CREATE INDEX initiative_search_text ON initiative_search USING gin (search_text);
  CREATE INDEX initiative_search_facets ON initiative_search USING gin (facet_ids);
  -- Covering: a box's rows are read from the index alone, words tested there (index-only scans).
  CREATE INDEX initiative_search_point ON initiative_search USING gist (search_point) INCLUDE (seq, search_text);
  CREATE INDEX initiative_search_updated ON initiative_search (updated);
  ALTER TABLE initiative DROP COLUMN search_text, DROP COLUMN search_point, DROP COLUMN facet_keys;
  DROP INDEX initiative_updated;

  CREATE FUNCTION essfed_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'DELETE' THEN
      DELETE FROM initiative_search s USING old_rows o WHERE s.seq = o.seq;
    ELSIF TG_OP = 'UPDATE' THEN
      -- Only rows whose change number moved: storing a signature changes nothing searched.
      UPDATE initiative_search s SET (seq, search_point, search_text, facet_ids, updated) = (${searchRow("n.")})
      FROM old_rows o JOIN new_rows n ON n.rid = o.rid WHERE s.seq = o.seq AND n.seq <> o.seq;
    ELSE
      INSERT INTO initiative_search SELECT ${searchRow()} FROM new_rows;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER initiative_search_insert AFTER INSERT ON initiative REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION essfed_search_sync();
  CREATE TRIGGER initiative_search_update AFTER UPDATE ON initiative
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION essfed_search_sync();
  CREATE TRIGGER initiative_search_delete AFTER DELETE ON initiative REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION essfed_search_sync();

  -- A record's content changes only with a new change number: storing a signature (same number)
  -- leaves its counts alone instead of taking them down and up again.
  ${shardedCountsFunction(
    "essfed_counts_update",
    `SELECT n.record, n.source, 1 AS d FROM new_rows n JOIN old_rows o ON o.rid = n.rid WHERE n.seq <> o.seq
    UNION ALL SELECT o.record, o.source, -1 FROM old_rows o JOIN new_rows n ON n.rid = o.rid WHERE n.seq <> o.seq`,
  )}
  `,
  // 5: records without coordinates (the map lists them apart, since it cannot show them) are
  // found without reading every row: few records lack a place.
  `
  CREATE INDEX initiative_search_unlocated ON initiative_search (seq) WHERE search_point IS NULL;
  `,
  // 6: the team: accounts, one-time sign-in links, sessions (links and session tokens kept as
  // hashes), and the audit log of who changed what.
  `
  CREATE TABLE account (id text PRIMARY KEY, name text NOT NULL, role text NOT NULL, password_hash text,
    created text NOT NULL);
  CREATE UNIQUE INDEX account_name ON account (lower(name));
  CREATE TABLE signin_link (token_hash text PRIMARY KEY, account_id text NOT NULL, expires text NOT NULL);
  CREATE INDEX signin_link_account ON signin_link (account_id);
  CREATE TABLE session (id text PRIMARY KEY, account_id text NOT NULL, csrf text NOT NULL, created text NOT NULL,
    expires text NOT NULL);
  CREATE INDEX session_account ON session (account_id);
  CREATE INDEX session_expires ON session (expires);
  CREATE TABLE audit (
    seq bigserial PRIMARY KEY, at text NOT NULL, actor jsonb NOT NULL, action text NOT NULL, target text NOT NULL,
      reason text, detail jsonb
  );
  CREATE INDEX audit_target ON audit (target, seq);
  `,
  // 7: curation (src/store/curation.ts): source policies, records withheld from service (hidden or
  // from a blocked source, kept with their signed document), and the queue of what waits for a decision.
  `
  CREATE TABLE source_policy (source text PRIMARY KEY, policy text NOT NULL, reason text, at text NOT NULL);
  CREATE TABLE withheld (
    n bigserial PRIMARY KEY, id text NOT NULL UNIQUE, source text, state text NOT NULL, reason text, at text NOT NULL,
    updated text NOT NULL, record jsonb NOT NULL, signed text
  );
  CREATE INDEX withheld_source ON withheld (source, state);
  CREATE TABLE review_queue (
    n bigserial PRIMARY KEY, kind text NOT NULL, target text NOT NULL, record jsonb, signed text, text text,
      sender text, received text NOT NULL
  );
  CREATE INDEX review_queue_target ON review_queue (target, n);
  CREATE INDEX review_queue_kind ON review_queue (kind, n);
  `,
  // 8: duplicates (src/store/duplicates.ts): every record written, changed or removed is noted in
  // dup_pending by statement-level triggers, in the writing transaction (notes taken in id order, so
  // concurrent writers never deadlock on them), for the duplicate finder; its blocking keys and the
  // candidate pairs with their decisions. Records already held are noted once here.
  `
  CREATE TABLE dup_pending (id text PRIMARY KEY, n bigint NOT NULL, noted bigserial NOT NULL);
  CREATE INDEX dup_pending_noted ON dup_pending (noted);
  CREATE TABLE dup_key (key text NOT NULL, id text NOT NULL, PRIMARY KEY (key, id));
  CREATE INDEX dup_key_id ON dup_key (id);
  CREATE TABLE dup_pair (
    a text NOT NULL, b text NOT NULL, score double precision NOT NULL, reasons jsonb NOT NULL, state text NOT NULL,
    decided_by text, decided_at text, updated text NOT NULL, PRIMARY KEY (a, b)
  );
  CREATE INDEX dup_pair_b ON dup_pair (b);
  CREATE INDEX dup_pair_state ON dup_pair (state, score);
  CREATE FUNCTION essfed_dup_note() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO dup_pending (id, n) SELECT id, 0 FROM new_rows ORDER BY id ON CONFLICT (id)
        DO UPDATE SET n = dup_pending.n + 1;
    ELSIF TG_OP = 'UPDATE' THEN
      INSERT INTO dup_pending (id, n)
        SELECT DISTINCT id, 0 FROM (
          SELECT nr.id FROM new_rows nr LEFT JOIN old_rows o ON o.id = nr.id
            WHERE o.id IS NULL OR o.version IS DISTINCT FROM nr.version
          UNION ALL SELECT o.id FROM old_rows o LEFT JOIN new_rows nr ON nr.id = o.id WHERE nr.id IS NULL
        ) x ORDER BY id ON CONFLICT (id) DO UPDATE SET n = dup_pending.n + 1;
    ELSE
      INSERT INTO dup_pending (id, n) SELECT id, 0 FROM old_rows ORDER BY id ON CONFLICT (id)
        DO UPDATE SET n = dup_pending.n + 1;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER dup_note_insert AFTER INSERT ON initiative REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION essfed_dup_note();
  CREATE TRIGGER dup_note_update AFTER UPDATE ON initiative REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION essfed_dup_note();
  CREATE TRIGGER dup_note_delete AFTER DELETE ON initiative REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION essfed_dup_note();
  INSERT INTO dup_pending (id, n) SELECT id, 0 FROM initiative ORDER BY seq;
  `,
  // 9: listings confirmed to be one organisation (src/duplicates/groups.ts): each member of a group
  // of confirmed pairs, its group and whether it is the listing shown when results collapse them.
  `
  CREATE TABLE dup_member (id text PRIMARY KEY, grp text NOT NULL, shown smallint NOT NULL);
  CREATE INDEX dup_member_grp ON dup_member (grp);
  CREATE INDEX dup_member_hidden ON dup_member (id) WHERE shown = 0;
  `,
  // 10: records in SPARQL's name order, translated ones first (ADR 26).
  `
  CREATE INDEX initiative_name ON initiative
    (((record #> '{initiative,translations}') IS NULL), ((record #>> '{initiative,name}') COLLATE "C"), seq);
  `,
  // 11: sameAs links other networks decided and sent us, adopted with their provenance (ADR 27).
  `
  CREATE TABLE dup_adopted (
    publisher text NOT NULL,
    linkset text NOT NULL,
    a text NOT NULL,
    b text NOT NULL,
    score double precision NOT NULL,
    decided_by text NOT NULL,
    decided_at text NOT NULL,
    received_at text NOT NULL,
    PRIMARY KEY (publisher, a, b)
  );
  `,
  // 12: each grouped listing's change number as the group was last worked out (the finder does so
  // after every write of one), so that collapsed queries leave the hidden ones out from a small
  // index instead of looking each up in the records (ADR 27).
  `
  ALTER TABLE dup_member ADD COLUMN seq bigint;
  UPDATE dup_member m SET seq = i.seq FROM initiative i WHERE i.id = m.id;
  CREATE INDEX dup_member_hidden_seq ON dup_member (seq) WHERE shown = 0 AND seq IS NOT NULL;
  `,
  // 13: plain columns written beside the record's JSON at every write (ADR 30, src/store/shape-columns.ts): SPARQL's
  // whole-dataset answers read them instead of the JSON. The name-order index (ADR 26) moves onto them; counts by
  // primary activity read their own small index.
  `
  ALTER TABLE initiative ADD COLUMN name text, ADD COLUMN plain boolean, ADD COLUMN primary_activity text,
    ADD COLUMN lat double precision, ADD COLUMN lng double precision;
  UPDATE initiative SET name = record #>> '{initiative,name}',
    plain = (record #> '{initiative,translations}') IS NULL,
    primary_activity = record #>> '{initiative,primaryActivity}',
    lat = CASE WHEN jsonb_typeof(record #> '{initiative,address,lat}') = 'number'
      THEN (record #>> '{initiative,address,lat}')::double precision END,
    lng = CASE WHEN jsonb_typeof(record #> '{initiative,address,long}') = 'number'
      THEN (record #>> '{initiative,address,long}')::double precision END;
  DROP INDEX initiative_name;
  CREATE INDEX initiative_name ON initiative (plain, (name COLLATE "C"), seq);
  CREATE INDEX initiative_primary_activity ON initiative (primary_activity);
  `,
  // 14: a record's documents carry the links adopted about it (ADR 33): looked up by either side of the pair.
  `
  CREATE INDEX dup_adopted_a ON dup_adopted (a);
  CREATE INDEX dup_adopted_b ON dup_adopted (b);
  `,
  // 15: the name-order index also holds the rest of the plain columns (ADR 34), so SPARQL's whole-dataset answers can
  // read the index alone (an index-only scan) instead of every record's row.
  `
  DROP INDEX initiative_name;
  CREATE INDEX initiative_name ON initiative (plain, (name COLLATE "C"), seq) INCLUDE (id, primary_activity, lat, lng);
  `,
  // 16: migration 15's wider name index made writes slower (random inserts of wider entries); the plain columns get
  // their own index in change order instead, appended to at each write (ADR 34).
  `
  DROP INDEX initiative_name;
  CREATE INDEX initiative_name ON initiative (plain, (name COLLATE "C"), seq);
  CREATE INDEX initiative_shape ON initiative (seq) INCLUDE (plain, id, name, primary_activity, lat, lng);
  `,
  // 17: the keys SPARQL lookups find a record by besides its name (postcode, registration identifiers, Companies House
  // number; ADR 42, src/store/lookup-keys.ts): a plain column written with the record (a JSON array) and an inverted
  // index over it, which PostgreSQL keeps in step with the row.
  `
  ALTER TABLE initiative ADD COLUMN lookup_keys jsonb;
  UPDATE initiative SET lookup_keys = (
    SELECT jsonb_agg(DISTINCT k) FROM (
      SELECT 'p:' || (record #>> '{initiative,address,postcode}') AS k
        WHERE jsonb_typeof(record #> '{initiative,address,postcode}') = 'string'
      UNION ALL
      SELECT 'i:' || (r ->> 'register') || '-' || (r ->> 'number')
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(record #> '{initiative,registrations}') = 'array'
          THEN record #> '{initiative,registrations}' ELSE '[]'::jsonb END) AS r
      UNION ALL
      SELECT 'c:' || (record #>> '{initiative,companiesHouseNumber}')
        WHERE jsonb_typeof(record #> '{initiative,companiesHouseNumber}') = 'string'
          AND record #>> '{initiative,companiesHouseNumber}' <> ''
    ) AS keys
  );
  CREATE INDEX initiative_lookup ON initiative USING gin (lookup_keys jsonb_path_ops) WHERE lookup_keys IS NOT NULL;
  `,
];
