import { describe, expect, it } from "@jest/globals";
import { normaliseEmail, normaliseName, normalisePhone, normalisePostcode, normaliseWebsite } from "./normalise.ts";
import { jaroWinkler, nameSimilarity } from "./similarity.ts";

describe("normaliseName", () => {
  it.each([
    ["Green Bay Projects Limited", "green bay projects"],
    ["GREEN BAY PROJECTS LTD.", "green bay projects"],
    ["The Green Bay Projects Ltd", "green bay projects"],
    ["Suma Wholefoods Workers' Co-operative Ltd", "suma wholefoods"],
    ["Calverts North Star Press Co-operative", "calverts north star press"],
    ["Unicorn Grocery CIC", "unicorn grocery"],
    ["Smith & Sons", "smith sons"],
    ["Smith and Sons Co.", "smith sons"],
    ["Société coopérative d'intérêt collectif Enercoop", "enercoop"],
    ["SCOP Ardelaine SA", "ardelaine"],
    ["L'Atelier Paysan SCIC", "atelier paysan"],
    ["Éthiquable S.C.O.P.", "ethiquable"],
    ["Bürgerenergie Berlin e.V.", "burgerenergie berlin"],
    ["Weiberwirtschaft eG", "weiberwirtschaft"],
    ["Straße der Solidarität eG", "strasse der solidaritat"],
    ["Som Energia S.Coop", "som energia"],
    ["Som Energia, SCCL", "som energia"],
    ["Cooperativa La Fageda", "fageda"],
    ["Mondragón Sociedad Cooperativa", "mondragon"],
    ["Cooperativa Integral Catalana", "integral catalana"],
    ["Coopérative Ouvrière de Production Fralib", "fralib"],
    ["Cooperativa sociale Il Sentiero Onlus", "sentiero"],
    ["Cooperativa", "cooperativa"],
  ])("%s → %s", (name, expected) => {
    expect(normaliseName(name)).toBe(expected);
  });

  it("gives one name for listings that write the legal form differently.", () => {
    const forms = [
      "Leicester Bike Co-operative Limited",
      "Leicester Bike Cooperative",
      "leicester bike coop ltd",
      "LEICESTER BIKE",
    ];
    expect(new Set(forms.map(normaliseName))).toEqual(new Set(["leicester bike"]));
  });

  it("is bounded on a huge name.", () => {
    expect(normaliseName("a".repeat(1_000_000)).length).toBeLessThanOrEqual(300);
  });
});

describe("normaliseWebsite", () => {
  it.each([
    ["http://www.mbd.limited", "mbd.limited"],
    ["https://mbd.limited/", "mbd.limited"],
    ["mbd.limited/index.html", "mbd.limited"],
    ["HTTPS://WWW.Suma.coop/About/?utm_source=x#top", "suma.coop/about"],
    ["https://www.facebook.com/GreenBayProjects/", "facebook.com/greenbayprojects"],
    ["http://www.facebook.com/profile.php?id=100078006350052", "facebook.com/profile.php?id=100078006350052"],
  ])("%s → %s", (url, expected) => {
    expect(normaliseWebsite(url)).toBe(expected);
  });

  it.each(["https://www.facebook.com/", "not a url at all", "mailto:x@y.org", "localhost", ""])("refuses %p", (url) => {
    expect(normaliseWebsite(url)).toBeUndefined();
  });
});

describe("contacts", () => {
  it("reads emails in one case, without mailto:.", () => {
    expect(normaliseEmail(" MailTo:Info@Suma.COOP ")).toBe("info@suma.coop");
    expect(normaliseEmail("not an email")).toBeUndefined();
  });

  it("gives one phone number for national and international writing (UK, France, Spain, Germany).", () => {
    expect(normalisePhone("0116 212 3456")).toBe(normalisePhone("+44 (0)116 212 3456")!.slice(-9));
    expect(normalisePhone("+44 116 212 3456")).toBe(normalisePhone("0116-212-3456"));
    expect(normalisePhone("01 23 45 67 89")).toBe(normalisePhone("+33 1 23 45 67 89"));
    expect(normalisePhone("934 12 34 56")).toBe(normalisePhone("0034 934 123 456"));
    expect(normalisePhone("030 1234 5678")).toBe(normalisePhone("+49 30 12345678"));
    expect(normalisePhone("999")).toBeUndefined();
  });

  it("reads postcodes without spaces, in capitals.", () => {
    expect(normalisePostcode("le1 5ew")).toBe("LE15EW");
    expect(normalisePostcode("28-100")).toBe("28100");
    expect(normalisePostcode(" - ")).toBeUndefined();
  });
});

describe("similarity", () => {
  it("is 1 for equal names and high for a typo or a joined word.", () => {
    expect(jaroWinkler("suma", "suma")).toBe(1);
    expect(nameSimilarity("green bay projects", "greenbay projects")).toBe(1);
    expect(nameSimilarity("green bay projects", "green bay projcts")).toBeGreaterThan(0.95);
    expect(nameSimilarity("bay green projects", "green bay projects")).toBeGreaterThan(0.95);
  });

  it("is low for different names.", () => {
    expect(nameSimilarity("unicorn grocery", "suma wholefoods")).toBeLessThan(0.6);
    expect(nameSimilarity("leicester bike", "leeds bakery")).toBeLessThan(0.9);
    // Letters alike, a whole word different.
    expect(nameSimilarity("leeds bakery collective", "leeds bakery works")).toBeLessThan(0.9);
    expect(nameSimilarity("suma wholefoods", "suma wholefoods workers")).toBeGreaterThanOrEqual(0.9);
  });
});
