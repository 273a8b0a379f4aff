/**
 * Importing a file from the console over real HTTP: the upload's dry run says what would happen
 * (refused rows with row, column and reason) and writes nothing; confirming imports and publishes;
 * the import is in the audit log under the person's name; the same file again changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { personOf, post, type Person } from "../support/console.ts";
import { importJob, upload } from "../support/upload.ts";
import { LOCAL_SOURCE } from "../../src/store/records.ts";

const SAMPLE = readFileSync(
  fileURLToPath(new URL("../fixtures/csv/sample-standard-v4-25rows.csv", import.meta.url)),
  "utf8",
);
const [HEADER, ...ROWS] = SAMPLE.trimEnd().split(/\r?\n(?=R\d)/);
/** Five good rows, one without a name (refused), one with a website that is not a URL (kept, value left out). */
const CSV =
  [
    HEADER,
    ...ROWS.slice(0, 5),
    "X-NONAME,,A row without a name",
    "X-BADWEB,Good Food Co-op,,,,,,,,,,,not a website",
  ].join("\n") + "\n";

let inst: TestInstance;
let ana: Person;
beforeAll(async () => {
  inst = await startInstance({ ESSFED_NAME: "Import Test Network" });
  ana = await personOf(inst, "ana", "editor");
}, 60_000);
afterAll(async () => {
  await inst?.stop();
});

describe("Importing a file from the console", () => {
  let id: string;

  it("checks the upload first: what would be created and refused, with row and column, and nothing written.", async () => {
    const res = await upload(inst, ana, "members.csv", CSV);
    expect(res.status).toBe(303);
    id = /\/console\/import\/([A-Za-z0-9_-]{16})$/.exec(res.headers.get("location")!)![1]!;
    const page = await importJob(inst, ana, id, "checked");
    expect(page).toContain("Of 7 records read, importing would add 6, update 0, leave 0 as they are and refuse 1.");
    expect(page).toContain("Import 6 initiatives");
    // The refused row: its spreadsheet row (the header is row 1), its column and why.
    expect(page).toMatch(/<td>7<\/td><td>Name<\/td><td class="wrap">[^<]*name/i);
    expect(page).toMatch(/1 value left out/);
    expect(await inst.store.countInitiatives(LOCAL_SOURCE)).toBe(0);
  });

  it("imports on confirmation, publishes, and writes the import to the audit log.", async () => {
    const res = await post(inst, ana, `/console/import/${id}/confirm`, {});
    expect(res.status).toBe(303);
    const page = await importJob(inst, ana, id, "done");
    expect(page).toContain("Imported: 6 added, 0 updated, 0 unchanged, 1 refused.");
    expect(await inst.store.countInitiatives(LOCAL_SOURCE)).toBe(6);
    const html = await (
      await fetch(`${inst.base}/console/initiatives?q=Good+Food`, { headers: { cookie: ana.cookie } })
    ).text();
    expect(html).toContain("Good Food Co-op");
    const [entry] = (await inst.store.audit.list({ limit: 1 })).items;
    expect(entry).toEqual(
      expect.objectContaining({
        action: "initiative.import",
        target: "members.csv",
        actor: expect.objectContaining({ name: "ana" }),
      }),
    );
    expect(entry!.detail).toEqual(expect.objectContaining({ format: "csv", read: 7, created: 6, refused: 1 }));
    // A confirmed import cannot be confirmed twice.
    expect((await post(inst, ana, `/console/import/${id}/confirm`, {})).status).toBe(303);
    expect(await inst.store.countInitiatives(LOCAL_SOURCE)).toBe(6);
  });

  it("says the same file again would change nothing, and offers nothing to import.", async () => {
    const res = await upload(inst, ana, "members.csv", CSV);
    const again = /([A-Za-z0-9_-]{16})$/.exec(res.headers.get("location")!)![1]!;
    const page = await importJob(inst, ana, again, "checked");
    expect(page).toContain("importing would add 0, update 0, leave 6 as they are and refuse 1.");
    expect(page).not.toContain('id="confirm"');
    expect(page).toContain("There is nothing to import");
    // Cancelling forgets it.
    expect((await post(inst, ana, `/console/import/${again}/discard`, {})).status).toBe(303);
    expect((await fetch(`${inst.base}/console/import/${again}`, { headers: { cookie: ana.cookie } })).status).toBe(404);
  });

  it("reads GeoJSON as well, and shows the page in the person's language.", async () => {
    const geo = JSON.stringify({
      type: "FeatureCollection",
      features: [
        {
          type: "Feature",
          geometry: { type: "Point", coordinates: [-1.55, 47.21] },
          properties: { name: "Coopérative des Champs", "addr:city": "Nantes", website: "https://champs.example" },
        },
      ],
    });
    const res = await upload(inst, ana, "carte.geojson", geo);
    const gid = /([A-Za-z0-9_-]{16})$/.exec(res.headers.get("location")!)![1]!;
    const page = await importJob(inst, ana, gid, "checked", "fr");
    expect(page).toContain("GeoJSON");
    expect(page).toContain("Sur 1 fiche lue, l&#39;import en ajouterait 1");
    expect(page).toContain("Importer 1 initiative");
  });
});
