/**
 * A visitor suggests an initiative in a real browser, in Portuguese: the form with its pickers and
 * map, a message next to a wrong field, then the thanks; the suggestion waits in the review queue.
 * A member of the team approves it in the console's queue: it is then on the map, and reaches a
 * network that follows this one. axe-core checks each screen.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { TILE_URL, axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { auth } from "../support/instance.ts";
import { eventually } from "../support/process.ts";
import { LOCAL_SOURCE } from "../../src/store/records.ts";

let inst: TestInstance;
let follower: TestInstance;
let browser: TestBrowser;
beforeAll(async () => {
  inst = await startInstance({ ESSFED_NAME: "Rede de Economia Solidária", ESSFED_TILE_URL: TILE_URL });
  follower = await startInstance({ ESSFED_NAME: "Rede Nacional", ESSFED_HANDLE: "nacional" });
  browser = await launchBrowser();
  const res = await fetch(`${follower.base}/api/follows`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ target: inst.iris.actor }),
  });
  if (res.status !== 202) throw new Error(`the follow was refused: ${res.status}`);
  await eventually(
    async () => (await follower.store.getFollowing(inst.iris.actor))?.state === "accepted",
    30_000,
    "the national network follows",
  );
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await inst?.stop();
  await follower?.stop();
});

describe("A visitor's suggestion in the browser", () => {
  it("is sent from the map's link, corrected where the form says, and waits in the queue.", async () => {
    const page = await browser.page({ locale: "pt-BR" });
    await page.goto(`${inst.base}/`);
    await page.click("#suggest-link");
    await page.waitForURL(`${inst.base}/suggest`);
    expect(await page.textContent("h1")).toBe("Sugerir uma iniciativa");
    expect(await axeViolations(page)).toEqual([]);
    await page.fill("#f-name", "Cooperativa de Costura Unidas");
    const structure = page.locator("[data-picker=organisationalStructure]");
    await structure.locator("input.filter").fill("Coopera");
    await structure.locator("label.option:visible").first().locator("input").check();
    await page.fill("#f-locality", "Recife");
    await page.fill("#f-lat", "-8.0476");
    await page.fill("#f-long", "-34.8770");
    await page.fill("#f-homepage", "não é um site");
    await page.fill("#f-message", "Sou associada.");
    await page.click("#save");
    await page.waitForSelector("#err-homepage");
    expect(await axeViolations(page)).toEqual([]);
    // What was typed is still there.
    expect(await page.inputValue("#f-message")).toBe("Sou associada.");
    await page.fill("#f-homepage", "https://unidas.example");
    await page.click("#save");
    await page.waitForSelector("#thanks");
    expect(await page.textContent("#thanks")).toContain("Sua sugestão chegou à equipe de Rede de Economia Solidária");
    expect(await axeViolations(page)).toEqual([]);
    const [item] = (await inst.store.curation.listQueue({ limit: 5, kind: "suggestion" })).items;
    expect(item!.record!.initiative).toEqual(
      expect.objectContaining({ name: "Cooperativa de Costura Unidas", homepage: "https://unidas.example" }),
    );
    expect(item!.record!.initiative.organisationalStructure).toHaveLength(1);
    expect(item!.text).toBe("Sou associada.");
    expect(await inst.store.countInitiatives(LOCAL_SOURCE)).toBe(0);
    if (process.env.ESSFED_SCREENSHOTS)
      await page.screenshot({ path: `${process.env.ESSFED_SCREENSHOTS}/suggest-thanks.png` });

    // The team approves it in the queue.
    const { link } = await inst.accounts.add("joana", "editor", { kind: "cli", name: "test" });
    const team = await browser.page({ locale: "pt-BR" });
    await team.goto(link);
    await team.fill("#password", "uma frase bastante longa");
    await team.click("button[type=submit]");
    await team.waitForURL(`${inst.base}/console?welcome`);
    await team.click("text=Fila de revisão");
    await team.waitForURL(`${inst.base}/console/queue`);
    expect(await team.textContent(".queue-item")).toContain("Sou associada.");
    expect(await axeViolations(team)).toEqual([]);
    if (process.env.ESSFED_SCREENSHOTS)
      await team.screenshot({ path: `${process.env.ESSFED_SCREENSHOTS}/queue.png`, fullPage: true });
    await team.check(`input[name=n][value="${item!.n}"]`);
    await team.fill("#reason", "conferido por telefone");
    await team.click("#approve");
    await team.waitForSelector("#queue-done");
    // On the map, and at the network that follows this one.
    await page.goto(`${inst.base}/?q=Unidas`);
    await page.waitForSelector("#list li >> text=Cooperativa de Costura Unidas", { timeout: 30_000 });
    await eventually(
      async () => (await follower.store.getInitiative(item!.target)) !== undefined,
      30_000,
      "the follower has it",
    );
  }, 180_000);
});
