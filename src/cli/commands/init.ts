/**
 * `essfed init`: creates the data directory or database, migrates it, makes the actor keys and
 * records the instance's URL and handle. On an existing instance it changes nothing.
 */
import { loadConfig } from "../../config.ts";
import { compose, dataPlace, type Instance } from "../../compose.ts";
import type { Io } from "../io.ts";
import type { Parsed } from "../spec.ts";

/** What a newly created instance's operator should know (also printed by `serve` on first start). */
export function createdNotice(instance: Instance): string[] {
  const { config, iris } = instance;
  return [
    `Created the essfed instance ${iris.actor} (data in ${dataPlace(config)}).`,
    `Its URL (${config.url}) and handle (${config.handle}) are stored with its data: every command and the server ` +
      `use them from now on.`,
    ...(config.given.url
      ? []
      : [
          "ESSFED_URL was not set, so this is the local default. For a public instance, start a fresh one with " +
            "ESSFED_URL set to its public URL.",
        ]),
  ];
}

export async function init(_args: Parsed, io: Io): Promise<number> {
  const instance = await compose(loadConfig(io.env), { create: true });
  try {
    if (instance.created) {
      for (const line of createdNotice(instance)) io.out(line);
    } else {
      io.out(
        `An essfed instance is already here: ${instance.iris.actor} (data in ${dataPlace(instance.config)}), created ` +
          `${instance.identity.since}. Nothing changed.`,
      );
    }
    io.out("Start it with: npm start   (or: essfed serve)");
  } finally {
    await instance.close();
  }
  return 0;
}
