import { loadConfig } from "../../config.ts";
import { compose } from "../../compose.ts";
import { logger, setupLogging } from "../../logging.ts";
import type { Io } from "../main.ts";

/** `essfed serve`: runs until SIGINT/SIGTERM, then closes cleanly. */
export async function serve(_args: string[], io: Io): Promise<number> {
  const config = loadConfig(io.env);
  await setupLogging(config.logLevel);
  const instance = await compose(config);
  if (config.role !== "web") instance.startWorkers();
  if (config.role !== "worker") {
    const port = await instance.listen();
    io.out(`essfed ${config.name} on ${config.url} (port ${port}); actor ${instance.iris.actor}`);
  } else {
    io.out(`essfed ${config.name}: worker started (deliveries, back-fill, reconciliation)`);
  }
  if (!config.adminToken) io.err("essfed: ESSFED_ADMIN_TOKEN is not set, so the admin API is disabled (reads and federation work)");
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  logger("server").info("Shutting down");
  await instance.close();
  return 0;
}
