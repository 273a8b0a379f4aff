import { describe, expect, it } from "@jest/globals";
import { readFeature } from "./geojson.ts";

const feature = (properties: Record<string, unknown>, geometry: unknown = null) => ({
  type: "Feature",
  geometry,
  properties,
});

describe("Reading a GeoJSON feature", () => {
  it("writes the street line in the order of the address's country, number first where none is given.", () => {
    const street = (country?: string) =>
      readFeature(
        feature({
          name: "X",
          "addr:street": country === "DE" ? "Weserstraße" : "Rue du Port",
          "addr:housenumber": "12",
          ...(country ? { "addr:country": country } : {}),
        }),
      )?.draft.address?.streetAddress;
    expect(street("DE")).toBe("Weserstraße 12");
    expect(street("FR")).toBe("12 Rue du Port");
    expect(street("fr")).toBe("12 Rue du Port");
    expect(street()).toBe("12 Rue du Port");
    expect(
      readFeature(feature({ name: "X", "addr:street": "Calle Mayor", "addr:country": "ES" }))?.draft.address,
    ).toMatchObject({ streetAddress: "Calle Mayor" });
  });

  it("places a shape at the centre of its bounding box without the noise of binary sums.", () => {
    const square = [
      [
        [2.35, 48.85],
        [2.36, 48.85],
        [2.36, 48.86],
        [2.35, 48.86],
        [2.35, 48.85],
      ],
    ];
    const read = readFeature(feature({ name: "X" }, { type: "Polygon", coordinates: square }));
    expect([read?.draft.address?.lat, read?.draft.address?.long]).toEqual([48.855, 2.355]);
    expect(read?.notes.map((n) => n.key)).toEqual(["geometryCentre"]);
  });
});
