/**
 * Registers the commands beyond init and serve. Each command module adds one line here.
 */
import { registerCommand } from "../main.ts";

const federation = () => import("./federation.ts");
registerCommand("follow", "follow another network: essfed follow <actor URL | acct:handle@host>", async () => (await federation()).followCommand);
registerCommand("unfollow", "stop following a network (removes or keeps its records, see ESSFED_UNFOLLOW_MIRRORS)", async () => (await federation()).unfollowCommand);
registerCommand("status", "followers, followings and their state [--json]", async () => (await federation()).statusCommand);
registerCommand("followers", "answer a held follow request: essfed followers accept|reject <actor URL>", async () => (await federation()).followersCommand);
registerCommand("import", "import a SEA standard CSV (v1–v4), JSON-LD or Turtle file: essfed import FILE [--format csv|jsonld|turtle]", async () => (await import("./import.ts")).importCommand);
registerCommand("export", "export everything held: essfed export [--format nquads|turtle|jsonld|csv|geojson] [--output FILE]", async () => (await import("./export.ts")).exportCommand);
registerCommand("migrate-store", "copy this instance from its SQLite file (ESSFED_DATA) to PostgreSQL (DATABASE_URL) [--force]", async () => (await import("./migrate-store.ts")).migrateStoreCommand);
