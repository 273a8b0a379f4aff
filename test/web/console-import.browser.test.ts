/**
 * Importing a spreadsheet from the console in a real browser: a person of a Spanish-speaking team
 * chooses the file, reads the dry run (the refused row with its row, column and reason), confirms,
 * and follows the import to its end; axe-core checks each screen.
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
    writeFileSync(file, [HEADER, ...ROWS.slice(0, 20), "X-NONAME,,Una fila sin nombre"].join("\n") + "\n");
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
    expect(await page.textContent("#dry-run")).toContain("De 21 registros leídos, la importación añadiría 20");
    const refused = await page.locator("#refused tbody tr").allTextContents();
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/^22Name/);
    expect(await axeViolations(page)).toEqual([]);
    if (process.env.ESSFED_SCREENSHOTS)
      await page.screenshot({ path: join(process.env.ESSFED_SCREENSHOTS, "import-dry-run.png"), fullPage: true });
    expect(await inst.store.countInitiatives(LOCAL_SOURCE)).toBe(0);
    await page.click("#confirm");
    await page.waitForSelector("#import-done", { timeout: 60_000 });
    expect(await page.textContent("#import-done")).toContain("Importado: 20 añadidas");
    expect(await axeViolations(page)).toEqual([]);
    expect(await inst.store.countInitiatives(LOCAL_SOURCE)).toBe(20);
    if (process.env.ESSFED_SCREENSHOTS)
      await page.screenshot({ path: join(process.env.ESSFED_SCREENSHOTS, "import-done.png"), fullPage: true });
  }, 120_000);
});
