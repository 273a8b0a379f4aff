/**
 * The console end to end, in a real browser, on two real instances: a person chooses a password
 * from their link, signs in, adds an initiative in French with the pickers and a pin (fixing what
 * the validation points out), edits it and deletes it; a person of another network follows the
 * first from their console and sees its records arrive on their map with where they came from.
 * axe-core checks each screen.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Page } from "playwright-core";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { TILE_URL, axeViolations, launchBrowser, type TestBrowser } from "../support/browser.ts";
import { LOCAL_SOURCE } from "../../src/store/records.ts";

let lyon: TestInstance;
let national: TestInstance;
let browser: TestBrowser;
const PASSWORD = "une phrase de passe assez longue";

beforeAll(async () => {
  lyon = await startInstance({ ESSFED_NAME: "Réseau ESS Lyon", ESSFED_TILE_URL: TILE_URL });
  national = await startInstance({ ESSFED_NAME: "Réseau national", ESSFED_TILE_URL: TILE_URL });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await lyon?.stop();
  await national?.stop();
});

const until = async (check: () => Promise<boolean>, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 200));
  }
};

/** A person joins with their link, then signs out and in again with the sign-in form. */
async function join(page: Page, inst: TestInstance, name: string): Promise<void> {
  const { link } = await inst.accounts.add(name, "editor", { kind: "cli", name: "test" });
  await page.goto(link);
  await page.fill("#password", PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForURL(`${inst.base}/console?welcome`);
  await page.click("text=Se déconnecter >> nth=0");
  await page.waitForURL(/sign-in\?signedOut/);
  expect(await axeViolations(page)).toEqual([]);
  await page.fill("#name", name);
  await page.fill("#password", PASSWORD);
  await page.click("form.narrow button[type=submit]");
  await page.waitForURL(`${inst.base}/console`);
}

let id: string;

describe("The team console in a browser", () => {
  it("signs in, and adds an initiative in French with the pickers and a pin, fixing what validation points out.", async () => {
    const page = await browser.page({ locale: "fr-FR" });
    await join(page, lyon, "amelie");
    expect(await page.textContent("h1")).toBe("Espace équipe");
    expect(await axeViolations(page)).toEqual([]);
    await page.click("text=Ajouter une initiative");
    await page.fill("#f-name", "Boulangerie des Pentes");
    await page.fill("#f-description", "Une boulangerie coopérative sur les pentes de la Croix-Rousse.");
    // The structure picker: find the French label by typing part of it.
    const structure = page.locator("[data-picker=organisationalStructure]");
    await structure.locator("input.filter").fill("travail");
    await structure
      .locator("label.option:visible", { hasText: "Coopératives de travail associé" })
      .locator("input")
      .check();
    expect(await structure.locator(".chosen").textContent()).toBe("Choisi : Coopératives de travail associé");
    const country = page.locator("[data-picker=country]");
    await country.locator("input.filter").fill("Fran");
    await page.selectOption("#f-country", { label: "France" });
    await page.fill("#f-locality", "Lyon");
    // The pin: a click on the map writes the coordinates.
    await page.locator("#pin-map").click({ position: { x: 200, y: 140 } });
    expect(await page.inputValue("#f-lat")).toMatch(/^-?\d+\.\d{6}$/);
    await page.fill("#f-lat", "45.7712");
    await page.fill("#f-long", "4.8320");
    await page.fill("#f-email", "pas une adresse");
    expect(await axeViolations(page)).toEqual([]);
    await page.click("#save");
    // Refused: the message is next to the field, in French, and nothing was published.
    await page.waitForSelector("#err-email");
    expect(await page.textContent("#err-email")).toBe("Ce n’est pas une adresse de courriel.");
    expect(await page.getAttribute("#f-email", "aria-invalid")).toBe("true");
    expect(await page.inputValue("#f-name")).toBe("Boulangerie des Pentes");
    expect(await lyon.store.countInitiatives(LOCAL_SOURCE)).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.fill("#f-email", "bonjour@pentes.example");
    await page.click("#save");
    await page.waitForSelector("#saved");
    expect(await page.textContent("#saved")).toContain("Ajoutée et publiée.");
    id = new URL(page.url()).searchParams.get("id")!;
    const rec = (await lyon.store.getInitiative(id))!;
    expect(rec.initiative).toEqual(
      expect.objectContaining({
        name: "Boulangerie des Pentes",
        email: "bonjour@pentes.example",
        organisationalStructure: ["https://lod.coop/essglobal/2.1/standard/organisational-structure/OS60"],
        country: "https://lod.coop/essglobal/2.1/standard/countries-iso/FR",
        address: expect.objectContaining({ locality: "Lyon", lat: 45.7712, long: 4.832 }),
      }),
    );
    const log = (await lyon.store.audit.list({ limit: 1, target: id })).items[0]!;
    expect([log.actor.name, log.action]).toEqual(["amelie", "initiative.create"]);
  }, 120_000);

  it("follows that network from another network's console, and its records arrive on the map with their provenance.", async () => {
    const page = await browser.page({ locale: "fr-FR" });
    await join(page, national, "nadia");
    await page.click("text=Réseaux");
    await page.fill("#target", `network@${new URL(lyon.base).host}`);
    await page.click("text=Suivre >> nth=-1");
    await page.waitForURL(/done=follow-sent/);
    await until(async () => (await national.store.countInitiatives(lyon.iris.actor)) === 1);
    await page.reload();
    expect(await page.locator("#following").textContent()).toContain("Réseau ESS Lyon");
    expect(await page.locator("#following").textContent()).toContain("Abonné");
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${national.base}/?at=45.7712,4.832,16`);
    await page.waitForSelector(".essfed-point", { timeout: 20_000 });
    await page.locator(".essfed-point").first().click();
    const card = page.locator(".leaflet-popup-content .card");
    await card.waitFor();
    expect(await card.locator(".name").textContent()).toBe("Boulangerie des Pentes");
    expect(await card.locator(".prov").textContent()).toBe("Publié par Réseau ESS Lyon");
    expect(await card.locator(".place").textContent()).toBe("Lyon, France");
    const log = (await national.store.audit.list({ limit: 1, actionPrefix: "follow." })).items[0]!;
    expect([log.actor.name, log.action, log.target]).toEqual(["nadia", "follow.create", lyon.iris.actor]);
  }, 120_000);

  it("edits and deletes the initiative; the follower sees both.", async () => {
    const page = await browser.page({ locale: "fr-FR" });
    await join(page, lyon, "bastien");
    await page.goto(`${lyon.base}/console/initiatives`);
    await page.click("text=Modifier Boulangerie des Pentes");
    await page.fill("#f-name", "Boulangerie coopérative des Pentes");
    await page.click("#save");
    await page.waitForSelector("#saved");
    expect(await page.textContent("#saved")).toContain("Enregistré.");
    await until(
      async () => (await national.store.getInitiative(id))?.initiative.name === "Boulangerie coopérative des Pentes",
    );
    page.once("dialog", (d) => void d.accept());
    await page.click("#delete");
    await page.waitForURL(/done=deleted/);
    expect(await lyon.store.getInitiative(id)).toBeUndefined();
    await until(async () => (await national.store.getInitiative(id)) === undefined);
    expect((await lyon.store.audit.list({ limit: 2, target: id })).items.map((e) => [e.actor.name, e.action])).toEqual([
      ["bastien", "initiative.delete"],
      ["bastien", "initiative.update"],
    ]);
  }, 120_000);

  it("fits a phone's screen on every console page, in Spanish.", async () => {
    const page = await browser.page({ width: 390, height: 844, locale: "es-ES" });
    const { link } = await lyon.accounts.add("carmen", "admin", { kind: "cli", name: "test" });
    await page.goto(link);
    await page.fill("#password", PASSWORD);
    await page.click("button[type=submit]");
    await page.waitForURL(`${lyon.base}/console?welcome`);
    for (const path of [
      "/console",
      "/console/initiatives/new",
      "/console/initiatives",
      "/console/federation",
      "/console/accounts",
      "/console/audit",
    ]) {
      await page.goto(lyon.base + path);
      expect(await page.getAttribute("html", "lang")).toBe("es");
      expect([path, await page.evaluate(() => document.documentElement.scrollWidth)]).toEqual([path, 390]);
      expect(await axeViolations(page)).toEqual([]);
    }
    await page.goto(`${lyon.base}/console/initiatives/new`);
    expect(
      await page
        .locator("[data-picker=organisationalStructure] label.option", { hasText: "Cooperativas de trabajo" })
        .count(),
    ).toBe(1);
  }, 120_000);
});
