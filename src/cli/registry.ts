/**
 * The one list of commands: what each is called, its arguments and options (with their help), and
 * how to load it. `main.ts` parses the command line against this list, so an unknown option or a
 * missing argument is refused the same way for every command, and `--help` needs no command code.
 */
import type { CommandSpec, OptionSpec } from "./spec.ts";

export type { ArgumentSpec, CommandSpec, OptionSpec, Parsed, Run } from "./spec.ts";

const federation = () => import("./commands/federation.ts");
const curation = () => import("./commands/curation.ts");
const paging: Record<string, OptionSpec> = {
  limit: { type: "string", value: "N", help: "items per page, 1-500 (default 50)" },
  cursor: { type: "string", value: "CURSOR", help: "the next page, as the previous one printed it" },
  json: { type: "boolean", help: "print JSON instead of text" },
};

export const COMMANDS: Record<string, CommandSpec> = {
  init: {
    summary: "create the instance: data directory or database, actor keys, and its stored URL and handle",
    notes: [
      "The URL (ESSFED_URL) and handle (ESSFED_HANDLE) are stored with the data; every later command and the",
      "server use the stored ones, and refuse a different ESSFED_URL or ESSFED_HANDLE.",
      "Running it again on an instance changes nothing and says what is there.",
    ],
    load: async () => (await import("./commands/init.ts")).init,
  },
  serve: {
    summary: "run the instance (web and/or worker, see ESSFED_ROLE); creates it on first start",
    notes: ["Runs until SIGINT or SIGTERM. Exits with 69 when its port is taken."],
    load: async () => (await import("./commands/serve.ts")).serve,
  },
  import: {
    summary:
      "import a SEA standard CSV (v1-v4), GeoJSON, JSON-LD, Turtle or N-Triples/N-Quads file into this instance's " +
      "own directory",
    args: [{ name: "FILE", help: "the file to import" }],
    options: {
      format: {
        type: "string",
        value: "FORMAT",
        help: "csv, geojson, jsonld, turtle or nquads (default: told from the content and name)",
      },
      "dry-run": {
        type: "boolean",
        help: "validate and say what would be created, updated, unchanged and refused; write nothing",
      },
      quiet: { type: "boolean", help: "no progress lines on stderr" },
      thread: {
        type: "string",
        value: "on|off|auto",
        help:
          "read and check a CSV on a second thread while this one writes (auto, the default: for a CSV of 8 MB or " +
          "more on two cores or more); faster on large files, off uses about 250 MB less memory",
      },
      lang: {
        type: "string",
        value: "LANG",
        help: "the language of the reasons for refusals and warnings: en (default), fr, es or pt",
      },
    },
    notes: [
      "A bad value in an optional field is left out with a warning; a record is refused only without a usable " +
        "identifier or name.",
      "Exit codes: 0 every record imported, 1 some records refused (the others are imported), 2 the file could " +
        "not be read",
      "(a format essfed does not import, a syntax error, no initiatives in it), 130 stopped by Ctrl-C (143 by " +
        "SIGTERM):",
      "the records read until then are imported and indexed, and the same import again imports the rest.",
    ],
    load: async () => (await import("./commands/import.ts")).importCommand,
  },
  export: {
    summary: "export everything held (own and mirrored records)",
    options: {
      format: { type: "string", value: "FORMAT", help: "nquads (default), turtle, jsonld, csv or geojson" },
      output: { type: "string", short: "o", value: "FILE", help: "write to FILE instead of standard output" },
    },
    load: async () => (await import("./commands/export.ts")).exportCommand,
  },
  follow: {
    summary: "follow another network",
    args: [{ name: "TARGET", help: "its actor URL, or acct:handle@host" }],
    options: {
      wait: {
        type: "string",
        value: "SECONDS",
        help: "how long to wait for the answer when a server is running (default 10; 0 = do not wait)",
      },
    },
    notes: [
      "The Follow is queued in the store; the running server (essfed serve, or a worker process) sends it,",
      "signed as this instance's actor. The command says whether it was answered, or only queued.",
      "Exit codes: 0 accepted or queued, 1 refused by the other network.",
    ],
    load: async () => (await federation()).followCommand,
  },
  unfollow: {
    summary: "stop following a network (removes or keeps its records, see ESSFED_UNFOLLOW_MIRRORS)",
    args: [{ name: "TARGET", help: "its actor URL, or acct:handle@host" }],
    notes: ["The Undo is queued; the running server sends it. Exit code 1 when this instance does not follow TARGET."],
    load: async () => (await federation()).unfollowCommand,
  },
  status: {
    summary: "this instance's actor, records, followers, followings and queued deliveries",
    options: { json: { type: "boolean", help: "print JSON instead of text" } },
    load: async () => (await federation()).statusCommand,
  },
  followers: {
    summary: "answer a follow request held for the admin (ESSFED_FOLLOW_APPROVAL=manual)",
    args: [
      { name: "accept|reject", help: "the answer" },
      { name: "ACTOR", help: "the actor URL that asked" },
    ],
    notes: ["The answer is queued; the running server sends it."],
    load: async () => (await federation()).followersCommand,
  },
  "move-url": {
    summary: "move the instance to another URL (or rename its actor) and tell its followers",
    args: [{ name: "NEW_URL", help: "the URL the instance moves to (give the current one to change only the handle)" }],
    options: { handle: { type: "string", value: "HANDLE", help: "the actor's new handle (default: keep it)" } },
    notes: [
      "Stop every essfed process of the instance first. Both the old and the new URL must reach this server:",
      "move-url checks that with a throwaway listener on PORT and refuses otherwise. Own records, tombstones and",
      "queued activities move to the new URL in one transaction; followers are sent a Move (signed by the old",
      "actor, whose URL keeps answering), followed networks a new Follow. See docs/moving.md.",
      "Exit codes: 0 moved (or nothing to move), 1 refused (the reason says why), 69 PORT is taken.",
    ],
    load: async () => (await import("./commands/move-url.ts")).moveUrlCommand,
  },
  accounts: {
    summary:
      "the team's accounts for the console: add (prints a one-time sign-in link), list, link (a new link), remove",
    args: [
      { name: "add|list|link|remove", help: "what to do" },
      { name: "NAME", help: "the person's sign-in name (not for list)", optional: true },
    ],
    options: { role: { type: "string", value: "ROLE", help: "admin or editor, for add (default editor)" } },
    notes: [
      "The link is valid for 72 hours and works once: the person chooses a password with it.",
      "Exit codes: 0 done, 1 refused (a name taken, no such account, the last admin).",
    ],
    load: async () => (await import("./commands/accounts.ts")).accountsCommand,
  },
  duplicates: {
    summary: "records that may be one organisation: list the pairs found, confirm or reject one, undo a decision",
    args: [
      { name: "list|confirm|reject|undo", help: "what to do" },
      { name: "IRI", help: "one record of the pair (not for list)", optional: true },
      { name: "OTHER", help: "the other record of the pair (not for list)", optional: true },
    ],
    options: {
      state: { type: "string", value: "STATE", help: "for list: candidate (default), confirmed or rejected" },
      limit: {
        type: "string",
        value: "N",
        help: "for list: how many pairs, highest score first (default 50, at most 500)",
      },
      reason: { type: "string", value: "TEXT", help: "why, kept in the audit log with the decision" },
    },
    notes: [
      "list first looks at every record written since the finder last ran (the server's worker does this as " +
        "records arrive).",
      "Each decision is in the audit log as made from the command line.",
      "Exit codes: 0 done, 1 no such pair.",
    ],
    load: async () => (await import("./commands/duplicates.ts")).duplicatesCommand,
  },
  people: {
    summary: "everything held about one email or phone (export, as JSON), or erase it from the network's own records",
    args: [{ name: "export|erase", help: "what to do" }],
    options: {
      email: { type: "string", value: "EMAIL", help: "the email address asked about" },
      phone: { type: "string", value: "PHONE", help: "the phone number asked about (compared by its digits)" },
    },
    notes: [
      "export covers own and mirrored records, records withheld by curation, the review queue and the audit log.",
      "erase removes the field from own records as an ordinary update: followers receive it and remove it in turn;",
      "mirrored records holding it are listed, to ask their networks. The audit log names the records, not the value.",
    ],
    load: async () => (await import("./commands/people.ts")).peopleCommand,
  },
  sources: {
    summary:
      "source policies: list, or set accept|review|block for an origin network (actor URL) or a whole domain, or " +
      "remove one",
    args: [
      { name: "list|accept|review|block|remove", help: "what to do (default list)", optional: true },
      { name: "SOURCE", help: "an actor URL or a domain (subdomains included)", optional: true },
    ],
    options: { reason: { type: "string", value: "TEXT", help: "why (kept in the audit log)" }, json: paging.json! },
    notes: [
      "review: new and changed records from it wait in the queue (essfed queue); block: refused at the inbox, " +
        "also when relayed by others, and its records leave everything served; followers are told. " +
        "Exit codes: 0 done, 1 refused, 64 a bad SOURCE.",
    ],
    load: async () => (await curation()).sourcesCommand,
  },
  records: {
    summary: "hide or restore a record (own or mirrored), see its history of decisions, or list withheld records",
    args: [
      { name: "hide|restore|history|withheld", help: "what to do" },
      { name: "ID", help: "the record's IRI (not for withheld)", optional: true },
    ],
    options: {
      reason: { type: "string", value: "TEXT", help: "why (required to hide or restore; kept in the audit log)" },
      ...paging,
    },
    notes: ["Exit codes: 0 done, 1 refused (not held, already hidden, its source blocked), 64 usage."],
    load: async () => (await curation()).recordsCommand,
  },
  queue: {
    summary: "the review queue: list it with each change field by field, or approve/reject items (one or N,N,...)",
    args: [
      { name: "list|approve|reject", help: "what to do (default list)", optional: true },
      { name: "ITEMS", help: "item numbers, N or N,N,... (approve, reject)", optional: true },
    ],
    options: {
      kind: { type: "string", value: "KIND", help: "only change, report or suggestion (list)" },
      reason: { type: "string", value: "TEXT", help: "why (kept in the audit log)" },
      ...paging,
    },
    notes: [
      "Approving a change serves it (and followers get it); rejecting a change hides the record. Approving a " +
        "report hides",
      "the record it is about; rejecting one dismisses it. Exit codes: 0 done, 1 some items not found or from a " +
        "blocked source.",
    ],
    load: async () => (await curation()).queueCommand,
  },
  audit: {
    summary: "the audit log, newest first: who decided what, when and why",
    options: {
      target: { type: "string", value: "IRI", help: "only entries about this target" },
      action: {
        type: "string",
        value: "PREFIX",
        help: "only actions starting with this (source., record., queue., account.)",
      },
      ...paging,
    },
    load: async () => (await curation()).auditCommand,
  },
  "migrate-store": {
    summary: "copy this instance from its SQLite file (ESSFED_DATA) to PostgreSQL (DATABASE_URL)",
    options: { force: { type: "boolean", help: "replace what the PostgreSQL database holds" } },
    notes: ["Stop the server first. The SQLite file is left as it was."],
    load: async () => (await import("./commands/migrate-store.ts")).migrateStoreCommand,
  },
};
