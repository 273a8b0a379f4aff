import { loadConfig } from "../../config.ts";
import { compose } from "../../compose.ts";
import type { Io } from "../main.ts";

/** `essfed init`: creates the data directory and database, migrates it and makes the actor keys. */
export async function init(_args: string[], io: Io): Promise<number> {
  const config = loadConfig(io.env);
  const instance = await compose(config);
  try {
    io.out(`essfed is ready: ${config.databaseUrl ? "PostgreSQL database" : `data in ${config.dataDir}`}, actor ${instance.iris.actor}`);
    io.out(`Start it with: npm start   (or: essfed serve)`);
  } finally {
    await instance.close();
  }
  return 0;
}
