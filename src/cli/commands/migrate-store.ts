/**
 * `essfed migrate-store [--force]`: copies an instance from its SQLite file (ESSFED_DATA) to the
 * PostgreSQL database in DATABASE_URL, losing nothing: initiatives with provenance, signed
 * documents and their change numbers, tombstones, followers, followings, queued deliveries, the
 * seen log and the key–value store (which holds the actor's keys: followers keep trusting it); the
 * team's accounts, sign-in links and sessions (people stay signed in), the audit log; curation
 * (source policies, withheld records, the review queue) and the decided duplicate pairs. Search
 * indexes and duplicate candidates are derived: PostgreSQL builds its own from the copied records.
 * Stop the server first. The target must be empty unless --force, which empties it.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../config.ts";
import { dataPlace } from "../../compose.ts";
import { IDENTITY_KEY, resolveIdentity, type Identity } from "../../instance/identity.ts";
import { MAX_IRI_BYTES, findUnstorableText, iriFits, unstorableReason, visible } from "../../domain/text.ts";
import { PostgresStore } from "../../store/postgres/store.postgres.ts";
import { SqliteStore } from "../../store/sqlite/store.sqlite.ts";
import { CommandError, EXIT, type Io } from "../io.ts";
import type { Parsed } from "../spec.ts";

/** Tables in copy order, with their columns (the same names in both schemas). */
const TABLES: { name: string; columns: string[]; order: string; jsonb?: string[]; serial?: string; where?: string }[] =
  [
    {
      name: "initiative",
      columns: ["id", "seq", "source", "version", "updated", "record", "signed"],
      order: "seq",
      jsonb: ["record"],
    },
    { name: "tombstone", columns: ["id", "deleted", "source", "seq"], order: "seq" },
    { name: "follower", columns: ["actor", "inbox", "shared_inbox", "follow_id", "state", "since"], order: "actor" },
    {
      name: "following",
      columns: ["actor", "inbox", "follow_id", "state", "since", "directory", "reconciled_at"],
      order: "actor",
    },
    {
      name: "mq",
      columns: ["queue", "payload", "visible_at", "ordering_key", "attempts"],
      order: "id",
      jsonb: ["payload"],
    },
    { name: "seen", columns: ["id", "at"], order: "id" },
    { name: "kv", columns: ["key", "value", "expires"], order: "key", jsonb: ["value"] },
    { name: "account", columns: ["id", "name", "role", "password_hash", "created"], order: "id" },
    { name: "signin_link", columns: ["token_hash", "account_id", "expires"], order: "token_hash" },
    { name: "session", columns: ["id", "account_id", "csrf", "created", "expires"], order: "id" },
    {
      name: "audit",
      columns: ["seq", "at", "actor", "action", "target", "reason", "detail"],
      order: "seq",
      jsonb: ["actor", "detail"],
      serial: "seq",
    },
    { name: "source_policy", columns: ["source", "policy", "reason", "at"], order: "source" },
    {
      name: "withheld",
      columns: ["n", "id", "source", "state", "reason", "at", "updated", "record", "signed"],
      order: "n",
      jsonb: ["record"],
      serial: "n",
    },
    {
      name: "review_queue",
      columns: ["n", "kind", "target", "record", "signed", "text", "sender", "received"],
      order: "n",
      jsonb: ["record"],
      serial: "n",
    },
    // Decided pairs only: candidates are found again from the copied records.
    {
      name: "dup_pair",
      columns: ["a", "b", "score", "reasons", "state", "decided_by", "decided_at", "updated"],
      order: "a, b",
      jsonb: ["reasons"],
      where: "decided_at IS NOT NULL",
    },
    // The groups those decisions make, and the listing each shows when results collapse them.
    { name: "dup_member", columns: ["id", "grp", "shown"], order: "id" },
    {
      name: "dup_adopted",
      columns: ["publisher", "linkset", "a", "b", "score", "decided_by", "decided_at", "received_at"],
      order: "publisher, a, b",
    },
  ];
const BATCH = 1000;
type Table = (typeof TABLES)[number];

/**
 * Why PostgreSQL would refuse a row SQLite holds (ADR 19): text with U+0000 or an unpaired
 * surrogate (kept by an essfed from before the check, or written past it), or a key over the index
 * limit. Checked before inserting, so the copy can name every such row instead of failing on one.
 */
function unstorableRow(t: Table, r: Record<string, unknown>): string | undefined {
  for (const c of t.columns) {
    const v = r[c];
    if (typeof v !== "string") continue;
    let why: string | undefined;
    if (t.jsonb?.includes(c)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(v);
      } catch {
        parsed = v;
      }
      const bad = findUnstorableText(parsed);
      why = bad && `${c}${bad.path === "(the document)" ? "" : bad.path} ${bad.reason}`;
    } else {
      const reason = unstorableReason(v);
      why = reason
        ? `${c} ${reason}`
        : c === t.columns[0] && !iriFits(v)
          ? `${c} is longer than ${MAX_IRI_BYTES} bytes`
          : undefined;
    }
    if (why) return `${t.name} ${t.columns[0]} ${visible(String(r[t.columns[0]!]).slice(0, 120))}: ${why}`;
  }
  return undefined;
}

export async function migrateStoreCommand({ values }: Parsed, io: Io): Promise<number> {
  const config = loadConfig(io.env);
  if (!config.databaseUrl) throw new CommandError("set DATABASE_URL to the PostgreSQL database to copy to", EXIT.usage);
  const file = join(config.dataDir, "essfed.sqlite");
  if (!existsSync(file))
    throw new CommandError(
      `${config.dataDir} holds no essfed instance (no essfed.sqlite): set ESSFED_DATA to the instance's data directory`,
      EXIT.noInstance,
    );
  const source = new SqliteStore(file);
  const target = new PostgresStore(config.databaseUrl);
  try {
    await source.initialize();
    // The copy carries the stored URL and handle (in the key–value table); ESSFED_URL and
    // ESSFED_HANDLE, when set, must agree with them as for any other command.
    const { identity } = await resolveIdentity(source, config, { create: false, where: config.dataDir });
    await target.initialize();
    const counts = await Promise.all(
      TABLES.map(async (t) =>
        Number((await target.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${t.name}`)).rows[0]!.n),
      ),
    );
    if (counts.some((n) => n > 0) && !values.force) {
      throw new CommandError("the PostgreSQL database is not empty; add --force to replace what it holds", 1);
    }
    const refused: string[] = [];
    await target.transaction(async (client) => {
      for (const t of TABLES) await client.query(`DELETE FROM ${t.name}`);
      for (const t of TABLES) {
        let copied = 0;
        for (let offset = 0; ; offset += BATCH) {
          const rows = source.db
            .prepare(
              `SELECT ${t.columns.join(", ")} FROM ${t.name}${t.where ? ` WHERE ${t.where}` : ""} ORDER BY ` +
                `${t.order} LIMIT ? OFFSET ?`,
            )
            .all(BATCH, offset) as Record<string, unknown>[];
          if (!rows.length) break;
          for (const r of rows) {
            const why = unstorableRow(t, r);
            if (why) refused.push(why);
          }
          if (refused.length) continue; // nothing will be copied: only look for the other such rows
          const params: unknown[] = [];
          const tuples = rows.map(
            (r) =>
              `(${t.columns
                .map((c) => {
                  params.push(r[c] ?? null);
                  return `$${params.length}${t.jsonb?.includes(c) ? "::jsonb" : ""}`;
                })
                .join(", ")})`,
          );
          await client.query(`INSERT INTO ${t.name} (${t.columns.join(", ")}) VALUES ${tuples.join(", ")}`, params);
          copied += rows.length;
        }
        if (!refused.length) io.out(`${t.name.padEnd(10)} ${copied}`);
      }
      if (refused.length) {
        const shown = refused
          .slice(0, 20)
          .map((w) => `  ${w}`)
          .join("\n");
        throw new CommandError(
          `${refused.length} row${refused.length > 1 ? "s" : ""} hold text PostgreSQL cannot store; nothing was ` +
            `copied. Correct or delete ${refused.length > 1 ? "them" : "it"} in this instance first (PUT or DELETE ` +
            `/initiatives/…, the console), then copy ` +
            `again:\n${shown}${refused.length > 20 ? `\n  … and ${refused.length - 20} more` : ""}`,
          1,
        );
      }
      // Numbered tables go on numbering after the copied rows.
      for (const t of TABLES.filter((x) => x.serial)) {
        await client.query(
          `SELECT setval(pg_get_serial_sequence('${t.name}', '${t.serial}'), greatest((SELECT ` +
            `coalesce(max(${t.serial}), 0) FROM ${t.name}), 1))`,
        );
      }
      // New change numbers continue after the copied ones, so the change order carries on.
      await client.query(
        "SELECT setval('initiative_seq', greatest((SELECT coalesce(max(seq), 0) FROM initiative), (SELECT " +
          "coalesce(max(seq), 0) FROM tombstone), 1))",
      );
    });
    for (const t of TABLES) {
      const where = t.where ? ` WHERE ${t.where}` : "";
      const a = (source.db.prepare(`SELECT count(*) AS n FROM ${t.name}${where}`).get() as { n: number }).n;
      const b = Number(
        (await target.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${t.name}${where}`)).rows[0]!.n,
      );
      if (a !== b) throw new CommandError(`${t.name}: ${a} rows in SQLite but ${b} in PostgreSQL after the copy`);
    }
    const copied = await target.kv.get<Identity>(IDENTITY_KEY);
    if (copied?.url !== identity.url || copied.handle !== identity.handle)
      throw new CommandError(`the identity in ${dataPlace(config)} is not the one copied`, EXIT.software);
    io.out("Copied and verified. Start essfed with this DATABASE_URL; the SQLite file is left as it was.");
    return 0;
  } finally {
    await source.close();
    await target.close();
  }
}
