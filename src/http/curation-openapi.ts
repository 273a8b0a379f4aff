/**
 * The curation part of the admin API, as the OpenAPI description lists it (ADR 13).
 */
const problem = {
  description: "Problem details (RFC 9457)",
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
};
const ok = (description: string) => ({ description, content: { "application/json": {} } });
const qp = (name: string, description: string, schema: object = { type: "string" }) => ({
  name,
  in: "query",
  description,
  schema,
});
const admin = [{ bearer: [] as string[] }];
const body = (properties: Record<string, object>, required: string[]) => ({
  required: true,
  content: { "application/json": { schema: { type: "object", required, properties } } },
});
const errors = { 400: problem, 401: problem, 404: problem, 409: problem, 413: problem };
const paging = [
  qp("limit", "Items per page, 1-500 (default 50).", { type: "integer" }),
  qp("cursor", "From the previous page's next."),
];
const reason = { type: "string", description: "Why (kept in the audit log), at most 4000 characters." };

export function curationPaths(): Record<string, unknown> {
  return {
    "/api/sources": {
      get: {
        summary: "Source policies (admin)",
        tags: ["curation"],
        security: admin,
        responses: { 200: ok("{policies: [{source, policy, reason, at}]}"), 401: problem },
      },
      put: {
        summary:
          "Set a source's policy (admin): accept, review (new and changed records wait in the queue) or block " +
          "(refused at the inbox; its records leave everything served and are withdrawn from followers)",
        tags: ["curation"],
        security: admin,
        requestBody: body(
          {
            source: {
              type: "string",
              description: "An origin network's actor URL, or a domain (its subdomains included)",
            },
            policy: { enum: ["accept", "review", "block"] },
            reason,
          },
          ["source", "policy"],
        ),
        responses: { 200: ok("{source, policy, withheld, released}"), ...errors },
      },
      delete: {
        summary: "Remove a source's policy (admin): back to accept",
        tags: ["curation"],
        security: admin,
        parameters: [qp("source", "The policy's source"), qp("reason", "Why")],
        responses: { 200: ok("{source, policy, withheld, released}"), ...errors },
      },
    },
    "/api/records/hide": {
      post: {
        summary:
          "Hide a record, own or mirrored (admin): kept, but absent from everything served and withdrawn from " +
          "followers",
        tags: ["curation"],
        security: admin,
        requestBody: body({ id: { type: "string" }, reason }, ["id", "reason"]),
        responses: { 200: ok("{id, state}"), ...errors },
      },
    },
    "/api/records/restore": {
      post: {
        summary: "Serve a hidden record again (admin; 409 when its source is blocked)",
        tags: ["curation"],
        security: admin,
        requestBody: body({ id: { type: "string" }, reason }, ["id", "reason"]),
        responses: { 200: ok("{id, state}"), ...errors },
      },
    },
    "/api/records/history": {
      get: {
        summary: "A record's curation state and its decisions, newest first (admin)",
        tags: ["curation"],
        security: admin,
        parameters: [qp("id", "The record's IRI"), ...paging],
        responses: { 200: ok("{id, state, reason, decisions: {items, next}}"), 400: problem, 401: problem },
      },
    },
    "/api/records/withheld": {
      get: {
        summary: "Records withheld from service, newest first (admin)",
        tags: ["curation"],
        security: admin,
        parameters: [qp("state", "hidden or blocked"), ...paging],
        responses: { 200: ok("{items, next}"), 400: problem, 401: problem },
      },
    },
    "/api/queue": {
      get: {
        summary:
          "The review queue, oldest first (admin): changes from sources in review or to hidden records, with a " +
          "field-by-field diff against the approved version, origin and relay path; reports with their text",
        tags: ["curation"],
        security: admin,
        parameters: [
          qp("kind", "change, report or suggestion"),
          qp("target", "Only items about this record"),
          ...paging,
        ],
        responses: { 200: ok("{waiting, items, next}"), 400: problem, 401: problem },
      },
    },
    "/api/queue/decide": {
      post: {
        summary:
          "Approve or reject queue items, one or in bulk (admin). Approving a change serves it; rejecting it hides " +
          "the record. Approving a report hides its record; rejecting dismisses it",
        tags: ["curation"],
        security: admin,
        requestBody: body(
          {
            items: { type: "array", items: { type: "integer" }, maxItems: 1000 },
            decision: { enum: ["approve", "reject"] },
            reason,
          },
          ["items", "decision"],
        ),
        responses: { 200: ok("{results: [{n, outcome}]}"), ...errors },
      },
    },
    "/api/reports": {
      post: {
        summary: "File a report about a record this network holds (admin)",
        tags: ["curation"],
        security: admin,
        requestBody: body({ id: { type: "string" }, text: { type: "string", maxLength: 4000 } }, ["id", "text"]),
        responses: { 201: ok("The queue item"), ...errors },
      },
    },
    "/api/audit": {
      get: {
        summary: "The audit log, newest first (admin): who, when, what, why",
        tags: ["curation"],
        security: admin,
        parameters: [
          qp("target", "Only entries about this target"),
          qp("action", "Only actions starting with this (source., record., queue.)"),
          ...paging,
        ],
        responses: { 200: ok("{items, next}"), 400: problem, 401: problem },
      },
    },
  };
}
