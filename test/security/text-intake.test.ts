/**
 * Text that every store holds (issue 10 item 3), through the admin API and the import, on both
 * stores: NUL, unpaired surrogates, other control characters, U+FFFE/U+FFFF and IRIs too long to be
 * keys are refused with 422 naming the field (the import: the row and column), nothing of the
 * record is stored, the other rows of the file are, and an ordinary request is answered meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { V4_COLUMNS } from "../../src/importers/csv/columns.ts";
import { bufferSource, importSource, type ImportReport } from "../../src/importers/import.ts";
import { auth, startInstance, type TestInstance } from "../support/instance.ts";
import { alongside } from "../support/remote-site.ts";
import { databaseUrl, dropSchema, randomSchema } from "../support/postgres.ts";
import { describePostgres } from "../support/describe-postgres.ts";

const CONTEXT = {
  ess: "https://lod.coop/essglobal/2.1/vocab/",
  gr: "http://purl.org/goodrelations/v1#",
  vcard: "http://www.w3.org/2006/vcard/ns#",
  dcterms: "http://purl.org/dc/terms/",
};
const body = (props: Record<string, unknown>) =>
  JSON.stringify({ "@context": CONTEXT, "@type": "ess:SSEInitiative", "gr:name": "Fine Co-op", ...props });

interface Problem {
  code: string;
  detail: string;
  errors?: { field: string; message: string }[];
}

function describeIntake(
  title: string,
  env: () => Record<string, string>,
  after: () => Promise<void> = async () => {},
): void {
  let inst: TestInstance;
  let existing: string;

  beforeAll(async () => {
    inst = await startInstance(env());
    existing = inst.iris.initiative("untouchable");
    await inst.directory.upsert([{ id: existing, name: "Untouchable Co-op" }]);
  }, 60_000);
  afterAll(async () => {
    await inst?.stop();
    await after();
  });

  /** Only the untouchable record is held, as it was. */
  async function nothingStored(): Promise<void> {
    expect(await inst.store.countInitiatives()).toBe(1);
    expect((await inst.store.getInitiative(existing))!.initiative.name).toBe("Untouchable Co-op");
  }

  /** Removes what a test stored on purpose, keeping the untouchable record. */
  async function purgeAllBut(): Promise<void> {
    const page = await inst.store.listInitiatives({ limit: 100 });
    await inst.store.purgeInitiatives(page.items.map((r) => r.initiative.id).filter((id) => id !== existing));
  }

  async function post(
    payload: string,
    path = "/initiatives",
    method = "POST",
  ): Promise<{ status: number; problem: Problem; ordinary: number }> {
    const r = await alongside(inst, () =>
      fetch(`${inst.base}${path}`, {
        method,
        headers: { ...auth, "content-type": "application/ld+json" },
        body: payload,
      }),
    );
    expect(r.hostile.headers.get("content-type")).toContain("application/problem+json");
    return { status: r.hostile.status, problem: (await r.hostile.json()) as Problem, ordinary: r.ordinary };
  }

  // eslint-disable-next-line jest/valid-title -- the title is the caller's
  describe(title, () => {
    it.each([
      ["NUL in the name", { "gr:name": "Bakery\u0000 Co-op" }, "name", "U+0000"],
      ["an unpaired surrogate in the description", { "dcterms:description": "Caf\uD800" }, "description", "U+D800"],
      [
        "U+FFFE in the locality",
        { "ess:hasAddress": { "vcard:locality": "\uFFFELeeds" } },
        "address.locality",
        "U+FFFE",
      ],
      [
        "a terminal escape in a translated name",
        { "gr:name": ["Fine Co-op", { "@value": "Coop\u001B[2J", "@language": "fr" }] },
        "translations.fr.name",
        "U+001B",
      ],
      ["U+FFFF in the phone number", { "vcard:hasTelephone": { "vcard:value": "0113\uFFFF" } }, "phone", "U+FFFF"],
    ])(
      "the admin API refuses %s with 422 naming the field, and stores nothing.",
      async (_what, props, field, codePoint) => {
        const r = await post(body(props));
        expect(r.ordinary).toBe(200);
        expect(r.status).toBe(422);
        expect(r.problem.errors).toEqual([
          expect.objectContaining({ field, message: expect.stringContaining(codePoint) }),
        ]);
        await nothingStored();
      },
    );

    it("the admin API refuses a PUT whose IRI is too long to be a key, naming the id.", async () => {
      const r = await post(body({}), `/initiatives/${encodeURIComponent("中".repeat(700))}`, "PUT");
      expect(r.ordinary).toBe(200);
      expect(r.status).toBe(422);
      expect(r.problem.errors).toEqual([expect.objectContaining({ field: "id" })]);
      await nothingStored();
    });

    it.each([
      ["PUT", "/initiatives/a%00b"],
      ["GET", "/initiatives/a%00b"],
      ["GET", "/api/initiatives?q=caf%00"],
      ["GET", "/initiative?id=http%3A%2F%2Fx.example%2F%01"],
    ])("refuses %s %s with 400 unstorable-text, not a store error.", async (method, path) => {
      const r = await alongside(inst, () =>
        fetch(`${inst.base}${path}`, {
          method,
          headers: { ...auth, "content-type": "application/ld+json" },
          ...(method === "PUT" ? { body: body({}) } : {}),
        }),
      );
      expect(r.ordinary).toBe(200);
      expect(r.hostile.status).toBe(400);
      expect(r.hostile.headers.get("content-type")).toContain("application/problem+json");
      expect(((await r.hostile.json()) as Problem).code).toBe("unstorable-text");
      await nothingStored();
    });

    it("the import refuses a CSV row with NUL in its name and one whose IRI is too long to be a key, naming row and column, and keeps the other rows.", async () => {
      const row = (id: string, name: string) => [id, name, ...Array<string>(V4_COLUMNS.length - 2).fill("")].join(",");
      const long = `https://elsewhere.example/initiatives/${"中".repeat(700)}`;
      const csv = [
        V4_COLUMNS.join(","),
        row("good-1", "Good One"),
        row("bad", "Bad\u0000Name"),
        row("good-2", "Good Two"),
        row(long, "Long"),
        row("x\u0001y", "Bell"),
      ].join("\n");
      const [report, ordinary] = await Promise.all([
        importSource(bufferSource("nul.csv", csv), inst.directory, inst.iris, { format: "csv" }),
        fetch(existing, { headers: { accept: "application/ld+json" } }),
      ]);
      expect(ordinary.status).toBe(200);
      expect(report.refused).toEqual([
        expect.objectContaining({ row: 3, column: "Name", message: expect.stringContaining("U+0000") }),
        expect.objectContaining({ row: 5, column: "Identifier" }),
        // The report is printed: what the file held is shown, not sent to the terminal.
        expect.objectContaining({ row: 6, column: "Identifier", record: "x\\u0001y", value: "x\\u0001y" }),
      ]);
      expect([report.created, report.refusedRecords]).toEqual([2, 3]);
      expect(await inst.store.getInitiative(inst.iris.initiative("bad"))).toBeUndefined();
      await purgeAllBut();
      await nothingStored();
    });

    it("the import leaves out a vertical tab in an optional cell with a warning, and keeps the record.", async () => {
      const cells = Array<string>(V4_COLUMNS.length).fill("");
      cells[V4_COLUMNS.indexOf("Identifier")] = "vt";
      cells[V4_COLUMNS.indexOf("Name")] = "Tabbed Co-op";
      cells[V4_COLUMNS.indexOf("Street Address")] = "1 High St\u000BFloor 2";
      const report: ImportReport = await importSource(
        bufferSource("vt.csv", [V4_COLUMNS.join(","), cells.join(",")].join("\n")),
        inst.directory,
        inst.iris,
      );
      expect(report.created).toBe(1);
      expect(report.warnings).toEqual([
        expect.objectContaining({ row: 2, column: "Street Address", message: expect.stringContaining("U+000B") }),
      ]);
      const held = await inst.store.getInitiative(inst.iris.initiative("vt"));
      expect(held!.initiative.address?.streetAddress).toBeUndefined();
      await purgeAllBut();
      await nothingStored();
    });

    it("the import refuses a GeoJSON feature and a JSON-LD item holding unpaired surrogates, keeping the others.", async () => {
      const feature = (id: string, name: string) => ({ type: "Feature", geometry: null, properties: { id, name } });
      const geo = JSON.stringify({
        type: "FeatureCollection",
        features: [feature("g-ok", "Fine"), feature("g-bad", "Bad \uDC00")],
      });
      const g = await importSource(bufferSource("s.geojson", geo), inst.directory, inst.iris);
      expect([g.created, g.refusedRecords]).toEqual([1, 1]);
      expect(g.refused[0]!.message).toContain("U+DC00");
      const ld = JSON.stringify({
        "@context": CONTEXT,
        "@graph": [
          { "@id": `${inst.base}/initiatives/l-ok`, "@type": "ess:SSEInitiative", "gr:name": "Fine" },
          { "@id": `${inst.base}/initiatives/l-bad`, "@type": "ess:SSEInitiative", "gr:name": "Bad \uD800\u0000" },
        ],
      });
      const l = await importSource(bufferSource("s.jsonld", ld), inst.directory, inst.iris);
      expect([l.created, l.refusedRecords]).toEqual([1, 1]);
      expect(await inst.store.getInitiative(inst.iris.initiative("l-bad"))).toBeUndefined();
      expect(await inst.store.getInitiative(inst.iris.initiative("g-bad"))).toBeUndefined();
      await purgeAllBut();
      await nothingStored();
    });
  });
}

describeIntake("Unstorable text on SQLite", () => ({}));

describePostgres("Unstorable text on PostgreSQL", () => {
  const schema = randomSchema("text");
  describeIntake(
    "is refused on every intake path",
    () => ({ DATABASE_URL: databaseUrl(schema) }),
    () => dropSchema(schema),
  );
});
