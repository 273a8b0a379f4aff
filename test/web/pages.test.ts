/**
 * The pages people see, over real HTTP: an initiative page with every field, its provenance, its
 * preview tags and schema.org markup; the language of a visitor; the network page; the map's list
 * and cards; the bundled assets.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startInstance, type TestInstance } from "../support/instance.ts";

let a: TestInstance;
let b: TestInstance;
let id: string;
let mirrored: string;

const html = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { headers: { accept: "text/html", ...headers } });
  return { res, text: await res.text() };
};
const metaContent = (text: string, key: string) =>
  new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)"`).exec(text)?.[1];

beforeAll(async () => {
  a = await startInstance({ ESSFED_NAME: "Leeds SE network" });
  b = await startInstance({ ESSFED_NAME: "RIPESS Europe" });
  id = a.iris.initiative("bread");
  const [r] = await a.directory.upsert([
    {
      id,
      name: "Leeds Bread <Co-op>",
      description: "<p>A bakery run by its workers. It sells bread.</p><script>alert(1)</script>",
      organisationalStructure: ["OS60"],
      legalForm: ["L2"],
      primaryActivity: "ICA140",
      qualifiers: [],
      baseMembershipType: "BMT20",
      country: "GB",
      companiesHouseNumber: "IP31297R",
      homepage: "https://bread.example/",
      email: "hello@bread.example",
      phone: "+44 113 496 0000",
      address: {
        streetAddress: "10 Otley Road",
        locality: "Leeds",
        region: "West Yorkshire",
        postcode: "LS6 3AA",
        lat: 53.8,
        long: -1.55,
      },
    },
    { id: a.iris.initiative("nowhere"), name: "Placeless Co-op", country: "GB" },
  ]);
  if (!r!.ok) throw new Error("the fixture is not valid");
  // A record B holds as a mirror of one of A's, received by way of a relay network.
  const rec = (await a.store.getInitiative(id))!;
  mirrored = a.iris.initiative("relayed");
  await b.store.putInitiatives([
    {
      ...rec,
      initiative: { ...rec.initiative, id: mirrored, name: "Relayed Co-op" },
      provenance: {
        origin: a.iris.actor,
        via: ["https://relay.invalid/actors/uk"],
        receivedAt: "2026-03-03T10:00:00.000Z",
      },
    },
  ]);
}, 60_000);
afterAll(async () => {
  await a?.stop();
  await b?.stop();
});

describe("The initiative page", () => {
  it("shows every field the record holds, escaped, with links to the register, the map and the network.", async () => {
    const { res, text } = await html(id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-language")).toBe("en");
    expect(text).toContain("<h1>Leeds Bread &lt;Co-op&gt;</h1>");
    expect(text).not.toContain("<script>alert(1)</script>");
    for (const s of [
      "Workers cooperative",
      "Cooperative",
      "10 Otley Road",
      "West Yorkshire",
      "LS6 3AA",
      "United Kingdom",
      "hello@bread.example",
      "https://bread.example/",
      "+44 113 496 0000",
      "Published by",
      "Leeds SE network",
    ])
      expect(text).toContain(s);
    expect(text).toContain('href="https://find-and-update.company-information.service.gov.uk/company/IP31297R"');
    expect(text).toContain('href="/?at=53.80000,-1.55000,15"');
    expect(text).toContain(`href="/?source=local"`);
    expect(text).toContain(`href="${a.iris.actor}"`);
  });

  it("carries OpenGraph and Twitter card tags, and schema.org Organization markup.", async () => {
    const { text } = await html(id);
    expect(metaContent(text, "og:title")).toBe("Leeds Bread &lt;Co-op&gt;");
    expect(metaContent(text, "og:type")).toBe("website");
    expect(metaContent(text, "og:url")).toBe(id);
    expect(metaContent(text, "og:description")).toContain("A bakery run by its workers.");
    expect(metaContent(text, "og:image")).toMatch(new RegExp(`^${a.base}/assets/card\\.[A-Za-z0-9_-]{10}\\.png$`));
    expect(metaContent(text, "twitter:card")).toBe("summary");
    const image = await fetch(metaContent(text, "og:image")!);
    expect(image.headers.get("content-type")).toBe("image/png");
    const ld = /<script type="application\/ld\+json">([^<]*)<\/script>/.exec(text)![1]!;
    const org = JSON.parse(ld) as Record<string, any>;
    expect(org).toEqual(
      expect.objectContaining({
        "@type": "Organization",
        "@id": id,
        name: "Leeds Bread <Co-op>",
        url: "https://bread.example/",
        email: "hello@bread.example",
      }),
    );
    expect(org.address).toEqual(
      expect.objectContaining({
        "@type": "PostalAddress",
        streetAddress: "10 Otley Road",
        addressLocality: "Leeds",
        postalCode: "LS6 3AA",
        addressCountry: "GB",
      }),
    );
    expect(org.geo).toEqual({ "@type": "GeoCoordinates", latitude: 53.8, longitude: -1.55 });
    expect(ld).not.toContain("<");
  });

  it("speaks Spanish to a Spanish visitor: messages, taxonomy labels and dates.", async () => {
    const { res, text } = await html(id, { "accept-language": "es-ES,es;q=0.9,en;q=0.5" });
    expect(res.headers.get("content-language")).toBe("es");
    expect(text).toContain('<html lang="es">');
    expect(text).toContain("Forma jurídica");
    expect(text).toContain("Cooperativa");
    expect(text).toContain("Reino Unido");
    expect(text).toContain("Volver al mapa");
    expect(text).toMatch(/Publicada el \d{1,2} de \p{L}+ de \d{4}/u);
  });

  it("keeps the language chosen with the switcher in a cookie.", async () => {
    const chosen = await fetch(`${id}?lang=pt`, { headers: { accept: "text/html", "accept-language": "en" } });
    const cookie = chosen.headers.get("set-cookie")!.split(";")[0]!;
    expect(cookie).toBe("lang=pt");
    expect(await chosen.text()).toContain("Voltar ao mapa");
    const next = await html(a.iris.actor, { cookie, "accept-language": "en" });
    expect(next.res.headers.get("content-language")).toBe("pt");
    expect(next.text).toContain("Como nos seguir");
    // The switcher links keep the rest of the address.
    const map = await html(`${a.base}/?q=bread&lang=fr`);
    expect(map.text).toContain('href="/?q=bread&amp;lang=es"');
  });

  it("says who published a mirrored record and by which networks it came.", async () => {
    const cardOf = async () =>
      (await (await fetch(`${b.base}/map/card?id=${encodeURIComponent(mirrored)}`)).json()) as {
        publishedBy: { name: string; href: string };
        via: { name: string; href: string }[];
      };
    // A first view waits a second for the origin's actor document, then shows its handle; on a busy machine the
    // document may come later, and the views after it show the name.
    let card = await cardOf();
    for (let k = 0; k < 50 && card.publishedBy.name !== "Leeds SE network"; k++) {
      await new Promise((r) => setTimeout(r, 200));
      card = await cardOf();
    }
    // The origin's name was read from its actor document; the relay that cannot be reached shows its handle.
    expect(card.publishedBy).toEqual({ name: "Leeds SE network", href: a.iris.actor });
    expect(card.via).toEqual([{ name: "uk@relay.invalid", href: "https://relay.invalid/actors/uk" }]);
    const { res, text } = await html(`${b.base}/initiative?id=${encodeURIComponent(mirrored)}`);
    expect(res.status).toBe(200);
    expect(text).toContain(
      `Published by <a href="${a.iris.actor}">Leeds SE network</a>, via <a ` +
        `href="https://relay.invalid/actors/uk">uk@relay.invalid</a>.`,
    );
    expect(text).toContain("Received here on 3 March 2026.");
    expect(text).toContain("This is the copy RIPESS Europe holds.");
    expect(text).toContain(`<link rel="canonical" href="${mirrored}">`);
    // Our own records are read at their own address.
    const own = await fetch(`${a.base}/initiative?id=${encodeURIComponent(id)}`, { redirect: "manual" });
    expect(own.status).toBe(303);
    expect(own.headers.get("location")).toBe(id);
  });
});

describe("The network page", () => {
  it("says who the network is and how to follow it.", async () => {
    const { res, text } = await html(a.iris.actor);
    expect(res.status).toBe(200);
    const host = new URL(a.base).host;
    for (const s of [
      "Leeds SE network",
      `@network@${host}`,
      `essfed follow ${a.iris.actor}`,
      "/dumps/initiatives.csv",
      `${a.base}/sparql`,
      "/api/initiatives",
      "/openapi.json",
      "2 initiatives published here",
    ])
      expect(text).toContain(s);
  });
});

describe("The map's list", () => {
  it("lists what is in a box as cards, and counts the matches without a place.", async () => {
    const res = await fetch(`${a.base}/map/list?bbox=-2,53,-1,54&lang=fr`);
    const body = (await res.json()) as {
      items: { name: string; kind: string; place: string; line: string }[];
      unlocated: number;
    };
    expect(body.items).toEqual([
      expect.objectContaining({
        name: "Leeds Bread <Co-op>",
        place: "Leeds, West Yorkshire, Royaume-Uni",
        line: "A bakery run by its workers.",
        kind: expect.stringContaining("Coopératives de travail associé"),
      }),
    ]);
    expect(body.unlocated).toBe(1);
    const none = (await (await fetch(`${a.base}/map/list?located=false`)).json()) as { items: { name: string }[] };
    expect(none.items.map((i) => i.name)).toEqual(["Placeless Co-op"]);
  });

  it("refuses bad parameters with a problem naming them, and an unknown card with 404.", async () => {
    const bad = await fetch(`${a.base}/map/list?located=maybe&bbox=1,2`);
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { errors: { param: string }[] };
    expect(problem.errors.map((e) => e.param).sort()).toEqual(["bbox", "located"]);
    expect((await fetch(`${a.base}/map/card?id=${encodeURIComponent(a.iris.initiative("none"))}`)).status).toBe(404);
    expect((await fetch(`${a.base}/map/card`)).status).toBe(400);
  });
});

describe("The bundled assets", () => {
  it("are served gzipped under hashed names, cached for a year.", async () => {
    const { text } = await html(`${a.base}/`);
    const js = /src="\/assets\/(map\.[A-Za-z0-9_-]{10}\.js)"/.exec(text)![1]!;
    const res = await fetch(`${a.base}/assets/${js}`, { headers: { "accept-encoding": "gzip" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("cache-control")).toContain("immutable");
    expect((await res.text()).length).toBeGreaterThan(10_000);
    expect((await fetch(`${a.base}/assets/map.AAAAAAAAAA.js`)).status).toBe(404);
  });
});
