import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "../../src/store/sqlite/store.sqlite.ts";
import { describeStoreContract } from "./store.contract.ts";
import { describeSearchContract } from "./search.contract.ts";

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

describeSearchContract("SqliteStore", make, cleanup);
