/**
 * Importing a spreadsheet from the console in a real browser: a person of a Spanish-speaking team
 * chooses the file, reads the dry run (the refused rows with their row, column and reason, and the
 * values left out, each reason in Spanish where the command line says it in English), confirms, and
 * follows the import to its end; axe-core checks each screen.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { LOCAL_SOURCE } from "../../src/store/records.ts";

const SAMPLE = readFileSync(
  fileURLToPath(new URL("../fixtures/csv/sample-standard-v4-25rows.csv", import.meta.url)),
  "utf8",
);
const [HEADER, ...ROWS] = SAMPLE.trimEnd().split(/\r?\n(?=R\d)/);

let inst: TestInstance;
let browser: TestBrowser;
let dir: string;
beforeAll(async () => {
  inst = await startInstance({ ESSFED_NAME: "Red de Economía Solidaria" });
  browser = await launchBrowser();
  dir = mkdtempSync(join(tmpdir(), "essfed-upload-"));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await inst?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("Importing a file in the browser", () => {
  it("shows the dry run with the refused row, then imports on confirmation.", async () => {
    const file = join(dir, "socias.csv");
    // 25 columns: Latitude and Longitude are the 21st and 22nd.
    const badLatitude = ["X-BADLAT", "Latitud Mala", ...Array<string>(18).fill(""), "abc", "-1.5", "", "", ""];
    writeFileSync(
      file,
      [HEADER, ...ROWS.slice(0, 20), "X-NONAME,,Una fila sin nombre", badLatitude.join(","), ROWS[0]].join("\n") + "\n",
    );
    const { link } = await inst.accounts.add("lucia", "editor", { kind: "cli", name: "test" });
    const page = await browser.page({ locale: "es-ES" });
    await page.goto(link);
    await page.fill("#password", "una frase de paso bastante larga");
    await page.click("button[type=submit]");
    await page.waitForURL(`${inst.base}/console?welcome`);
    await page.click("text=Importar un archivo");
    await page.waitForURL(`${inst.base}/console/import`);
    expect(await page.textContent("h1")).toBe("Importar un archivo");
    expect(await axeViolations(page)).toEqual([]);
    await page.setInputFiles("#file", file);
    await page.click("#check");
    // The page follows the check and shows its result without a reload by the person.
    await page.waitForSelector("#dry-run", { timeout: 60_000 });
    expect(await page.textContent("#dry-run")).toContain("De 23 registros leídos, la importación añadiría 21");
    const refused = await page.locator("#refused tbody tr").allTextContents();
    expect(refused).toHaveLength(2);
    expect(refused[0]).toMatch(/^22Namename es obligatorio/);
    expect(refused[1]).toMatch(/^24Identifieraparece de nuevo \(la primera vez en la fila 2\)/);
    await page.click("#warnings summary");
    const warnings = await page.locator("#warnings tbody tr").allTextContents();
    expect(warnings.some((w) => w.includes("address.lat no es un número; se deja fuera"))).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    if (process.env.ESSFED_SCREENSHOTS)
      await page.screenshot({ path: join(process.env.ESSFED_SCREENSHOTS, "import-dry-run.png"), fullPage: true });
    expect(await inst.store.countInitiatives(LOCAL_SOURCE)).toBe(0);
    await page.click("#confirm");
    await page.waitForSelector("#import-done", { timeout: 60_000 });
    expect(await page.textContent("#import-done")).toContain("Importado: 21 añadidas");
    expect(await axeViolations(page)).toEqual([]);
    expect(await inst.store.countInitiatives(LOCAL_SOURCE)).toBe(21);
    if (process.env.ESSFED_SCREENSHOTS)
      await page.screenshot({ path: join(process.env.ESSFED_SCREENSHOTS, "import-done.png"), fullPage: true });
  }, 120_000);
});
