import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { emptyInitiative, type InitiativeRecord } from "../../src/domain/initiative.ts";
import { versionOf } from "../../src/domain/version.ts";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";
import { describeStoreContract } from "./store.contract.ts";
import { describeTermsContract } from "./terms.contract.ts";
import { describeSearchContract } from "./search.contract.ts";
import { describeAccountsContract } from "./accounts.contract.ts";
import { describeCurationContract } from "./curation.contract.ts";
import { describeDuplicatesContract } from "./duplicates.contract.ts";
import { describeOutboxContract } from "./outbox.contract.ts";
import { describeCollapseContract } from "./collapse.contract.ts";

const dirs = new Map<SqliteStore, string>();
/** A fresh store in a temporary directory, and its removal. */
const make = async () => {
  const dir = mkdtempSync(join(tmpdir(), "essfed-contract-"));
  const s = new SqliteStore(join(dir, "essfed.sqlite"));
  await s.initialize();
  dirs.set(s, dir);
  return s;
};
const cleanup = async (s: unknown) => {
  await (s as SqliteStore).close();
  rmSync(dirs.get(s as SqliteStore)!, { recursive: true, force: true });
};

describeStoreContract("SqliteStore", make, cleanup);

describeOutboxContract("SqliteStore", make, cleanup);

describeSearchContract("SqliteStore", make, cleanup);

describeAccountsContract("SqliteStore", make, cleanup);

describeCurationContract("SqliteStore", make, cleanup);

describeDuplicatesContract("SqliteStore", make, cleanup);

describeCollapseContract("SqliteStore", make, cleanup);

describeTermsContract("SqliteStore", make, cleanup);

describe("SqliteStore facet counts across connections", () => {
  const S = "https://lod.coop/essglobal/2.1/standard/countries-iso/";
  const record = (n: number, country: string): InitiativeRecord => {
    const initiative = {
      ...emptyInitiative(`https://here.example/initiatives/c${n}`, `bakery ${n}`),
      country: `${S}${country}`,
    };
    return {
      initiative,
      published: "2026-01-01T00:00:00Z",
      updated: "2026-01-01T00:00:00Z",
      version: versionOf(initiative),
    };
  };
  const countries = async (s: SqliteStore) =>
    Object.fromEntries(
      (await s.search.facets({ words: ["bakery"], facets: {} })).counts.country.map((v) => [
        v.value.slice(S.length),
        v.count,
      ]),
    );

  it("sees what another process wrote and indexed, after this one already counted.", async () => {
    const a = await make();
    const b = new SqliteStore(join(dirs.get(a)!, "essfed.sqlite"));
    await b.initialize();
    try {
      await a.putInitiatives([record(1, "GB"), record(2, "GB"), record(3, "FR")]);
      expect(await countries(a)).toEqual({ GB: 2, FR: 1 });
      await b.putInitiatives([record(4, "ES"), record(1, "FR")]);
      await b.deleteInitiative({ id: record(2, "GB").initiative.id, deleted: "2026-01-02T00:00:00Z" });
      await b.search.catchUp();
      expect(await countries(a)).toEqual({ FR: 2, ES: 1 });
      // And this process's own writes after that reload stay in step too.
      await a.putInitiatives([record(5, "ES")]);
      expect(await countries(a)).toEqual({ FR: 2, ES: 2 });
      // A kept word list still holds record 3's old change number; renamed, it no longer counts.
      const garage = { ...record(3, "FR").initiative, name: "garage 3" };
      await b.putInitiatives([{ ...record(3, "FR"), initiative: garage, version: versionOf(garage) }]);
      await b.search.catchUp();
      expect(await countries(a)).toEqual({ FR: 1, ES: 2 });
    } finally {
      await b.close();
      await cleanup(a);
    }
  });
});
