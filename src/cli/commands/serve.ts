/** `essfed serve`: runs until SIGINT/SIGTERM, then closes cleanly. Creates the instance on first start. */
import { loadConfig } from "../../config.ts";
import { compose } from "../../compose.ts";
import { logger, setupLogging } from "../../logging.ts";
import { CommandError, EXIT, type Io } from "../io.ts";
import type { Parsed } from "../spec.ts";
import { createdNotice } from "./init.ts";

/** Why listening failed, in one line the operator can act on; undefined for the unexpected. */
function listenProblem(e: NodeJS.ErrnoException, port: number, bind: string): string | undefined {
  if (e.code === "EADDRINUSE")
    return `port ${port} on ${bind} is already in use: stop what uses it, or set PORT to another port`;
  if (e.code === "EACCES")
    return (
      `not allowed to listen on port ${port} on ${bind} (ports below 1024 need privileges): set PORT to ` +
      `1024 or above`
    );
  if (e.code === "EADDRNOTAVAIL") return `${bind} is not an address of this machine: check ESSFED_BIND`;
  return undefined;
}

export async function serve(_args: Parsed, io: Io): Promise<number> {
  const given = loadConfig(io.env);
  await setupLogging(given.logLevel);
  const instance = await compose(given, { create: true });
  const { config } = instance;
  // Listen before starting the workers: a taken port stops the process before it sends anything.
  let port: number | undefined;
  if (config.role !== "worker") {
    try {
      port = await instance.listen();
    } catch (e) {
      await instance.close();
      const problem = listenProblem(e as NodeJS.ErrnoException, config.port, config.bind);
      if (problem) throw new CommandError(problem, EXIT.unavailable);
      throw e;
    }
  }
  if (config.role !== "web") instance.startWorkers();
  if (instance.created) for (const line of createdNotice(instance)) io.out(line);
  io.out(
    port !== undefined
      ? // The name is the network's own ("essfed network" by default): quoted, not run into "essfed".
        `essfed: "${config.name}" on ${config.url} (port ${port}); actor ${instance.iris.actor}`
      : `essfed: "${config.name}": worker started (deliveries, back-fill, reconciliation)`,
  );
  if (!config.adminToken)
    io.err("essfed: ESSFED_ADMIN_TOKEN is not set, so the admin API is disabled (reads and federation work)");
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  logger("server").info("Shutting down");
  await instance.close();
  return 0;
}
