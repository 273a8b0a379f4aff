/**
 * The one connection per store that LISTENs for notifications from every process (queue wake-ups,
 * record changes). It is not a pooled connection: LISTEN belongs to a session. When the session is
 * lost (its backend terminated, the database restarted, the network cut) it is opened again with
 * backoff until that works. Notifications sent meanwhile are lost, so after reconnecting the owner
 * is told to act as if everything had changed.
 */
import pg from "pg";
import { ignoreFailure } from "../../logging.ts";

export interface ListenerHandlers {
  notification(channel: string, payload: string): void;
  /** The connection came back after a loss: wake whoever may have missed something. */
  reconnected(): void;
}

export class PostgresListener {
  readonly #url: string;
  readonly #name: string;
  readonly #channels: string[];
  readonly #handlers: ListenerHandlers;
  #client: pg.Client | undefined;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;

  /** @param name shown as the session's application_name (pg_stat_activity), for operators */
  constructor(url: string, name: string, channels: string[], handlers: ListenerHandlers) {
    this.#url = url;
    this.#name = name;
    this.#channels = channels;
    this.#handlers = handlers;
  }

  /** Whether the session is up: while it is not, notifications from other processes are missed. */
  get listening(): boolean {
    return this.#client !== undefined;
  }

  /** Opens the session; throws when the database cannot be reached (the first time only). */
  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url, application_name: this.#name.slice(0, 63) });
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      if (this.#client === client) this.#client = undefined;
      // The connection is gone already; ending it only frees the client.
      void client.end().catch(ignoreFailure("pg-listen-end", "debug"));
      if (!this.#closed) this.#reconnect(0);
    };
    try {
      // Until connected, a failure rejects connect() below and is thrown from there.
      client.on("error", ignoreFailure("pg-listen-connect", "debug"));
      await client.connect();
      client.on("notification", (n) => this.#handlers.notification(n.channel, n.payload ?? ""));
      for (const channel of this.#channels) await client.query(`LISTEN ${channel}`);
    } catch (e) {
      await client.end().catch(ignoreFailure("pg-listen-end", "debug")); // e is what matters
      throw e;
    }
    if (this.#closed) return void (await client.end().catch(ignoreFailure("pg-listen-end", "debug")));
    client.on("error", onLost);
    client.on("end", onLost);
    this.#client = client;
  }

  /** Tries again 0.1 s, 0.2 s, 0.4 s … (at most 5 s) after each failure. */
  #reconnect(attempt: number): void {
    clearTimeout(this.#retry);
    this.#retry = setTimeout(
      () => {
        this.start().then(
          () => this.#handlers.reconnected(),
          () => {
            if (!this.#closed) this.#reconnect(attempt + 1);
          },
        );
      },
      Math.min(100 * 2 ** attempt, 5000),
    );
    this.#retry.unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(ignoreFailure("pg-listen-end", "debug")); // closing: nothing to wait for
  }
}
