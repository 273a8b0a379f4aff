/**
 * The team console over real HTTP: an account added from the command line, its one-time link,
 * password sign-in, the cookies' attributes, accounts managed by an admin, sign-out, and every
 * account change in the audit log under the person's name.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { main } from "../../src/cli/main.ts";
import { startInstance, type TestInstance } from "../support/instance.ts";
import { FORM, csrfIn, form, personOf, post, setCookies } from "../support/console.ts";

let inst: TestInstance;
beforeAll(async () => {
  inst = await startInstance({ ESSFED_NAME: "Console Test Network" });
}, 60_000);
afterAll(async () => {
  await inst?.stop();
});

describe("The team console", () => {
  it("adds an account from the command line with a one-time link, then signs in with a password.", async () => {
    const out: string[] = [];
    const code = await main(["accounts", "add", "ana", "--role", "admin"], {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      env: { ESSFED_DATA: inst.dir, ESSFED_URL: inst.base },
    });
    expect(code).toBe(0);
    const link = out.find((l) => l.startsWith(`${inst.base}/console/welcome/`))!;
    expect(link).toMatch(/\/console\/welcome\/[A-Za-z0-9_-]{43}$/);
    // Looking at the link does not use it up; it asks for a password.
    const page = await fetch(link, { headers: { "accept-language": "fr" } });
    const html = await page.text();
    expect(html).toContain("Bienvenue, ana");
    const pre = setCookies(page);
    const preCookie = [...pre].map(([k, v]) => `${k}=${v}`).join("; ");
    const short = await fetch(link, {
      method: "POST",
      headers: { "content-type": FORM, cookie: preCookie },
      body: form({ _csrf: csrfIn(html), password: "short" }),
    });
    expect(short.status).toBe(422);
    expect(await short.text()).toContain("at least 10 characters");
    const done = await fetch(link, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": FORM, cookie: preCookie },
      body: form({ _csrf: csrfIn(html), password: "a long enough passphrase" }),
    });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/console?welcome");
    const setCookie = done.headers.getSetCookie().find((c) => c.startsWith("essfed_session="))!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\//);
    // The link works once.
    const again = await fetch(link);
    expect(again.status).toBe(410);
    // Password sign-in.
    const form1 = await fetch(`${inst.base}/console/sign-in`);
    const jar = [...setCookies(form1)].map(([k, v]) => `${k}=${v}`).join("; ");
    const token = csrfIn(await form1.text());
    const wrong = await fetch(`${inst.base}/console/sign-in`, {
      method: "POST",
      headers: { "content-type": FORM, cookie: jar },
      body: form({ _csrf: token, name: "ana", password: "not the password" }),
    });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${inst.base}/console/sign-in`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": FORM, cookie: jar },
      body: form({ _csrf: token, name: "ANA", password: "a long enough passphrase" }),
    });
    expect(right.status).toBe(303);
    const session = [...setCookies(right)].find(([k]) => k === "essfed_session")!;
    const home = await fetch(`${inst.base}/console`, { headers: { cookie: `essfed_session=${session[1]}` } });
    expect(await home.text()).toContain("Signed in as ana (admin).");
  });

  it("lets an admin add, re-role and remove people, each change in the audit log under the admin's name.", async () => {
    const admin = await personOf(inst, "carla", "admin");
    const added = await post(inst, admin, "/console/accounts", { name: "dan", role: "editor" });
    expect(added.status).toBe(201);
    const page = await added.text();
    expect(page).toMatch(new RegExp(`${inst.base}/console/welcome/[A-Za-z0-9_-]{43}`));
    const dan = (await inst.accounts.byName("dan"))!;
    expect(dan.role).toBe("editor");
    expect((await post(inst, admin, "/console/accounts/role", { id: dan.id, role: "admin" })).status).toBe(200);
    expect((await inst.accounts.get(dan.id))!.role).toBe("admin");
    expect((await post(inst, admin, "/console/accounts/remove", { id: dan.id })).status).toBe(200);
    expect(await inst.accounts.get(dan.id)).toBeUndefined();
    const log = (await inst.store.audit.list({ limit: 10, target: "dan" })).items;
    expect(log.map((e) => [e.actor.name, e.action])).toEqual([
      ["carla", "account.delete"],
      ["carla", "account.role"],
      ["carla", "account.create"],
    ]);
    expect(log[1]!.detail).toEqual({ from: "editor", to: "admin" });
    const audit = await fetch(`${inst.base}/console/audit`, { headers: { cookie: admin.cookie } });
    expect(await audit.text()).toContain("changed the role");
  });

  it("signs out of one browser, or of every one.", async () => {
    const eve = await personOf(inst, "eve", "editor");
    const second = await personOf(inst, "eve2", "editor");
    expect(
      (await fetch(`${inst.base}/console`, { headers: { cookie: second.cookie }, redirect: "manual" })).status,
    ).toBe(200);
    const out = await post(inst, second, "/console/sign-out", {});
    expect(out.status).toBe(303);
    expect(
      (await fetch(`${inst.base}/console`, { headers: { cookie: second.cookie }, redirect: "manual" })).status,
    ).toBe(303);
    // Eve signs in a second time elsewhere, then signs out everywhere from the first browser.
    const f = await fetch(`${inst.base}/console/sign-in`);
    const jar = [...setCookies(f)].map(([k, v]) => `${k}=${v}`).join("; ");
    const other = await fetch(`${inst.base}/console/sign-in`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": FORM, cookie: jar },
      body: form({ _csrf: csrfIn(await f.text()), name: "eve", password: eve.password }),
    });
    const otherCookie = `essfed_session=${setCookies(other).get("essfed_session")}`;
    expect((await fetch(`${inst.base}/console`, { headers: { cookie: otherCookie }, redirect: "manual" })).status).toBe(
      200,
    );
    expect((await post(inst, eve, "/console/sign-out-everywhere", {})).status).toBe(303);
    for (const cookie of [eve.cookie, otherCookie])
      expect((await fetch(`${inst.base}/console`, { headers: { cookie }, redirect: "manual" })).status).toBe(303);
    expect((await inst.store.audit.list({ limit: 1, target: "eve" })).items[0]!.action).toBe(
      "account.sign-out-everywhere",
    );
  });

  it("sends people who are not signed in to the sign-in page, and back afterwards.", async () => {
    const res = await fetch(`${inst.base}/console/accounts`, { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/console/sign-in?next=%2Fconsole%2Faccounts");
  });

  it("saves every field the model holds from the form, and keeps translations in languages the form does not show.", async () => {
    const editor = await personOf(inst, "fatou", "editor");
    const res = await post(inst, editor, "/console/initiatives/new", {
      name: "Atelier Vélo",
      description: "Réparation de vélos.",
      legalFormText: "SCOP SARL",
      sector: "Transport",
      ownership: "Workers",
      sicCodes: "33170, 45200",
      companiesHouseNumber: "12345",
      registrations: "fr-siren:552 100 554; FR-RNA:W751234567",
      homepage: "https://velo.example/",
      organisationalStructure: "OS60",
      country: "FR",
      locality: "Lyon",
      lat: "45.75",
      long: "4.85",
      "tr-en-name": "Bike Workshop",
      "tr-es-description": "Taller de bicis.",
    });
    expect(res.status).toBe(303);
    const id = new URL(res.headers.get("location")!, inst.base).searchParams.get("id")!;
    const i = (await inst.store.getInitiative(id))!.initiative;
    expect(i).toEqual(
      expect.objectContaining({
        legalFormText: "SCOP SARL",
        sector: "Transport",
        ownership: "Workers",
        sicCodes: ["33170", "45200"],
        companiesHouseNumber: "00012345",
        registrations: [
          { register: "FR-RNA", number: "W751234567" },
          { register: "FR-SIREN", number: "552100554" },
        ],
        translations: { en: { name: "Bike Workshop" }, es: { description: "Taller de bicis." } },
      }),
    );
    // A translation the form does not offer (German, from an import) survives an edit.
    const [r] = await inst.directory.upsert([
      {
        ...i,
        translations: { ...i.translations, de: { name: "Fahrradwerkstatt" } },
        address: { ...i.address },
      },
    ]);
    expect(r!.ok).toBe(true);
    const page = await fetch(`${inst.base}/console/initiatives/edit?id=${encodeURIComponent(id)}`, {
      headers: { cookie: editor.cookie },
    });
    const html = await page.text();
    expect(html).toContain('value="SCOP SARL"');
    expect(html).toContain('value="33170 45200"');
    expect(html).toContain('value="FR-RNA:W751234567; FR-SIREN:552100554"');
    const version = /name="version" value="([^"]+)"/.exec(html)![1]!;
    const saved = await post(inst, editor, `/console/initiatives/edit?id=${encodeURIComponent(id)}`, {
      id,
      version,
      name: "Atelier Vélo",
      sicCodes: "331",
      registrations: "FR-SIRET:123",
      "tr-en-name": "Bike Workshop",
    });
    // A bad SIC code: refused with the message next to the field, nothing changed.
    expect(saved.status).toBe(422);
    const refused = await saved.text();
    expect(refused).toContain('id="err-sicCodes">A SIC code has 4 or 5 digits.');
    expect(refused).toContain('id="err-registrations">“123” is not a number of the register FR-SIRET.');
    const ok = await post(inst, editor, `/console/initiatives/edit?id=${encodeURIComponent(id)}`, {
      id,
      version,
      name: "Atelier Vélo",
      "tr-en-name": "Bike Workshop",
    });
    expect(ok.status).toBe(303);
    expect((await inst.store.getInitiative(id))!.initiative.translations).toEqual({
      en: { name: "Bike Workshop" },
      de: { name: "Fahrradwerkstatt" },
    });
  });

  it("sets who sees each contact field and the record's licence, refusing a bad one next to its field.", async () => {
    const editor = await personOf(inst, "mariam", "editor");
    const res = await post(inst, editor, "/console/initiatives/new", {
      name: "Maison Commune",
      email: "bureau@maison.example",
      phone: "+33 4 00 00 00 00",
      streetAddress: "5 rue Cachée",
      locality: "Lyon",
      "sharing-email": "network",
      "sharing-phone": "public",
      "sharing-streetAddress": "none",
      license: "cc-by-sa-4.0",
    });
    expect(res.status).toBe(303);
    const id = new URL(res.headers.get("location")!, inst.base).searchParams.get("id")!;
    const i = (await inst.store.getInitiative(id))!.initiative;
    expect(i.sharing).toEqual({ email: "network", streetAddress: "none" });
    expect(i.license).toBe("https://creativecommons.org/licenses/by-sa/4.0/");
    const html = await (
      await fetch(`${inst.base}/console/initiatives/edit?id=${encodeURIComponent(id)}`, {
        headers: { cookie: editor.cookie },
      })
    ).text();
    expect(html).toMatch(/<option value="none" selected>/);
    const version = /name="version" value="([^"]+)"/.exec(html)![1]!;
    const bad = await post(inst, editor, `/console/initiatives/edit?id=${encodeURIComponent(id)}`, {
      id,
      version,
      name: "Maison Commune",
      "sharing-email": "everyone",
      license: "not a licence",
    });
    expect(bad.status).toBe(422);
    const text = await bad.text();
    expect(text).toContain('id="err-sharing-email"');
    expect(text).toContain('id="err-license"');
    expect((await inst.store.getInitiative(id))!.version).toBe(version);
  });
});
