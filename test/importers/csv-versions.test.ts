/**
 * Versions of records read from the shared CSV files, as they were stored before the reading
 * thread was made faster (issue 11): an import compares stored versions with those it computes, so
 * a change in what a row reads into, or in how the version is computed, would rewrite (and announce)
 * every record of a network on its next import.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { checkDraft } from "../../src/directory/directory.ts";
import { makeIris } from "../../src/directory/ids.ts";
import { csvSteps } from "../../src/importers/csv-import.ts";
import { loadTaxonomies } from "../../src/linkeddata/vocabulary.ts";

const iris = makeIris("https://here.example", "directory");
const taxonomies = loadTaxonomies();

/** Records checked, warnings, refusals, a digest of every row's version, and the first two versions. */
async function versions(file: string) {
  const digest = createHash("sha256");
  const out = { ok: 0, warnings: 0, refused: 0, digest: "", first: [] as string[] };
  for await (const step of csvSteps(createReadStream(new URL(`../fixtures/csv/${file}`, import.meta.url)), iris)) {
    if ("refuse" in step) out.refused++;
    if (!("pending" in step)) continue;
    const c = checkDraft(step.pending.draft, taxonomies, iris, { lenient: true, defaultSharing: "public" });
    if (!c.ok) {
      out.refused++;
      continue;
    }
    out.ok++;
    out.warnings += c.warnings.length;
    digest.update(`${step.pending.where.row} ${c.version}\n`);
    if (out.first.length < 2) out.first.push(c.version);
  }
  return { ...out, digest: digest.digest("base64url").slice(0, 22) };
}

describe("Versions of CSV records", () => {
  it.each([
    ["workers-coops-uk-2023-06-23-standard.csv", 387, 1, "_L7V171GdvDeemLsFHt-62", "ueHN_8fkY9rJjk_kReWzPs"],
    ["ica-youth-coops-standard-v1.csv", 97, 3, "f_3di6-eCUYofl1o1otKeh", "XVcjytFFJZWbwfu1kPFNV-"],
    ["sample-standard-v4-25rows.csv", 25, 0, "NCtVk-ktw7t9k3vs1fKiJR", "qs0tkhQ-uPNSp7CjNo4Z-N"],
  ])("are those stored before for %s.", async (file, ok, warnings, digest, first) => {
    const v = await versions(file);
    expect({ ok: v.ok, warnings: v.warnings, refused: v.refused, digest: v.digest, first: v.first[0] }).toEqual({
      ok,
      warnings,
      refused: 0,
      digest,
      first,
    });
  });
});
