/**
 * The console's routes, as the OpenAPI description lists them: HTML pages and the forms they post
 * (a session cookie and its CSRF token, not the bearer token). Scripts use the JSON API instead.
 */
const html = (summary: string, extra: Record<string, unknown> = {}) => ({
  summary,
  tags: ["console"],
  responses: {
    200: { description: "HTML", content: { "text/html": {} } },
    303: { description: "Redirect (sign in first, or where to go next)" },
    403: { description: "Not allowed (role, or a missing CSRF token)" },
  },
  ...extra,
});
const formPost = (summary: string, fields: string[]) =>
  html(summary, {
    requestBody: {
      required: true,
      content: {
        "application/x-www-form-urlencoded": {
          schema: {
            type: "object",
            properties: Object.fromEntries(["_csrf", ...fields].map((f) => [f, { type: "string" }])),
          },
        },
      },
    },
  });
const jobId = [
  {
    name: "id",
    in: "path",
    required: true,
    description: "An import, as its upload's answer names it",
    schema: { type: "string" },
  },
];
const token = [
  {
    name: "token",
    in: "path",
    required: true,
    description: "From a one-time sign-in link",
    schema: { type: "string" },
  },
];

export function consolePaths(): Record<string, unknown> {
  return {
    "/console": { get: html("The team console's home (signed in)") },
    "/console/sign-in": {
      get: html("The sign-in form"),
      post: formPost("Sign in with a name and password (rate limited per name and address: 429 with Retry-After)", [
        "name",
        "password",
        "next",
      ]),
    },
    "/console/sign-out": { post: formPost("Sign out of this browser", []) },
    "/console/sign-out-everywhere": { post: formPost("End every session of the signed-in account", []) },
    "/console/welcome/{token}": {
      get: html("Choose a password from a one-time sign-in link (410 when used or expired)", { parameters: token }),
      post: formPost("Set the password, use up the link and sign in", ["password"]),
    },
    "/console/accounts": {
      get: html("The team's accounts (admins)"),
      post: formPost("Add an account; the page shows its one-time sign-in link (admins)", ["name", "role"]),
    },
    "/console/accounts/role": { post: formPost("Change an account's role (admins)", ["id", "role"]) },
    "/console/accounts/link": { post: formPost("Make a new one-time sign-in link for an account (admins)", ["id"]) },
    "/console/accounts/sign-out": { post: formPost("End every session of an account (admins)", ["id"]) },
    "/console/accounts/remove": { post: formPost("Remove an account (admins; never the last admin)", ["id"]) },
    "/console/initiatives": {
      get: html("This network's initiatives, to find one to edit", {
        parameters: [
          { name: "q", in: "query", schema: { type: "string" } },
          { name: "cursor", in: "query", schema: { type: "string" } },
        ],
      }),
    },
    "/console/initiatives/new": {
      get: html("The form for a new initiative: every field, taxonomy pickers, a map pin"),
      post: formPost(
        "Add and publish an initiative (validated as the API's writes are; 422 with messages next to the fields)",
        ["name", "description", "organisationalStructure", "country", "lat", "long"],
      ),
    },
    "/console/initiatives/edit": {
      get: html("The form of one of this network's initiatives", {
        parameters: [{ name: "id", in: "query", required: true, schema: { type: "string" } }],
      }),
      post: formPost("Save an initiative (409 when someone saved it since the form was opened)", [
        "id",
        "version",
        "name",
      ]),
    },
    "/console/initiatives/delete": {
      post: formPost("Delete one of this network's initiatives (followers are told)", ["id"]),
    },
    "/console/federation": { get: html("Networks followed and following, held follow requests, deliveries per peer") },
    "/console/federation/follow": {
      post: formPost("Follow a network by handle (network@host) or address", ["target"]),
    },
    "/console/federation/unfollow": { post: formPost("Stop following a network", ["actor"]) },
    "/console/federation/accept": { post: formPost("Accept a held follow request", ["actor"]) },
    "/console/federation/reject": { post: formPost("Refuse a follow request, or remove a follower", ["actor"]) },
    "/console/import": {
      get: html("Upload a file to import (CSV in the SEA standard, GeoJSON, JSON-LD, Turtle, N-Quads)"),
      post: {
        ...html(
          "Upload a file (multipart form, at most 32 MB: 413 beyond); " +
            "its dry run starts and the answer redirects to it",
        ),
        requestBody: {
          required: true,
          content: {
            "multipart/form-data": {
              schema: {
                type: "object",
                properties: { _csrf: { type: "string" }, file: { type: "string", format: "binary" } },
              },
            },
          },
        },
      },
    },
    "/console/import/{id}": {
      get: html(
        "An import's dry run (created, updated, unchanged, refused with row, column and reason), " +
          "its progress, or its result",
        { parameters: jobId },
      ),
    },
    "/console/import/{id}/status": {
      get: {
        summary: "An import's state and the records read so far, for the page's script",
        tags: ["console"],
        parameters: jobId,
        responses: {
          200: { description: "JSON", content: { "application/json": {} } },
          404: { description: "No such import (kept an hour)" },
        },
      },
    },
    "/console/import/{id}/confirm": {
      post: formPost("Import a checked file for real (its records are published as by essfed import)", []),
    },
    "/console/import/{id}/discard": { post: formPost("Forget an upload without importing it", []) },
    "/console/queue": {
      get: html("The review queue: changes, reports and suggestions with their changes field by field", {
        parameters: [
          { name: "kind", in: "query", schema: { type: "string", enum: ["change", "report", "suggestion"] } },
          { name: "cursor", in: "query", schema: { type: "string" } },
        ],
      }),
    },
    "/console/queue/decide": {
      post: formPost("Approve or reject the chosen queue items, with a reason", ["n", "decision", "reason"]),
    },
    "/console/sources": {
      get: html("Source policies (accept, review, block) per network or domain"),
      post: formPost("Set a source's policy (admins)", ["source", "policy", "reason"]),
    },
    "/console/sources/remove": {
      post: formPost("Remove a source's policy: back to accepting it (admins)", ["source", "reason"]),
    },
    "/console/withheld": {
      get: html("Hidden records and records of blocked sources", {
        parameters: [
          { name: "state", in: "query", schema: { type: "string", enum: ["hidden", "blocked"] } },
          { name: "cursor", in: "query", schema: { type: "string" } },
        ],
      }),
    },
    "/console/records/hide": {
      post: formPost("Hide a record, with a reason: kept, but no longer served or passed on", ["id", "reason"]),
    },
    "/console/records/restore": { post: formPost("Serve a hidden record again, with a reason", ["id", "reason"]) },
    "/console/duplicates": {
      get: html("Duplicate pairs to decide (admins): both listings side by side, score and reasons; 10 a page", {
        parameters: [
          { name: "state", in: "query", schema: { type: "string", enum: ["candidate", "confirmed", "rejected"] } },
          { name: "cursor", in: "query", schema: { type: "string" } },
        ],
      }),
    },
    "/console/duplicates/decide": {
      post: formPost("Confirm, reject or undo a pair (admins; 404 for a pair the finder never found)", [
        "a",
        "b",
        "decision",
        "reason",
        "state",
      ]),
    },
    "/suggest": {
      get: {
        ...html(
          "The public suggestion form: a new initiative, or a correction to one of this network's own (?about=)",
          { parameters: [{ name: "about", in: "query", schema: { type: "string" } }] },
        ),
        tags: ["pages"],
      },
      post: {
        ...formPost(
          "Send a suggestion to the review queue (no account; limited per address and hour: 429; " +
            "404 when the network takes none; 503 when too many wait)",
          ["about", "name", "message", "contact"],
        ),
        tags: ["pages"],
      },
    },
    "/console/audit": {
      get: html("The audit log, newest first, 50 entries a page", {
        parameters: [{ name: "cursor", in: "query", schema: { type: "string" } }],
      }),
    },
  };
}
