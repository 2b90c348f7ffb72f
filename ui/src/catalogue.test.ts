import { describe, expect, it } from "vitest";
import { CatalogueIndex, itemName } from "./catalogue";
import { ScanDetector } from "./scanner";
import type { CatalogueItem } from "./generated/types";

const item = (code: string, nameEn: string, barcode: string | null = null, nameBn: string | null = null, pricePoisha = 100_00): CatalogueItem => ({
  code,
  barcode,
  nameEn,
  nameBn,
  pricePoisha,
});

const shop = new CatalogueIndex([
  item("RICE5", "Miniket rice 5 kg", "8941100500012", "মিনিকেট চাল ৫ কেজি"),
  item("OIL1", "Soybean oil 1 L", "8941100500029", "সয়াবিন তেল ১ লিটার"),
  item("SALT", "Iodised salt", null, "আয়োডিনযুক্ত লবণ"),
  item("RICE1", "Basmati rice 1 kg"),
]);

describe("the counter's catalogue search", () => {
  it("finds a product by its barcode or code exactly, the barcode first", () => {
    expect(shop.exact("8941100500029")?.code).toBe("OIL1");
    expect(shop.exact("SALT")?.code).toBe("SALT");
    expect(shop.exact("89411")).toBeUndefined();
  });

  it("ranks a code prefix before a name that starts with the text, before a word inside a name", () => {
    expect(shop.search("rice").map((i) => i.code)).toEqual(["RICE5", "RICE1"]);
    expect(shop.search("bas").map((i) => i.code)).toEqual(["RICE1"]);
    expect(shop.search("1 kg").map((i) => i.code)).toEqual(["RICE1"]);
  });

  it("searches the Bangla names too and shows them in Bangla", () => {
    const found = shop.search("চাল");
    expect(found.map((i) => i.code)).toEqual(["RICE5"]);
    expect(itemName(found[0]!, "bn")).toBe("মিনিকেট চাল ৫ কেজি");
    expect(itemName(shop.exact("RICE1")!, "bn")).toBe("Basmati rice 1 kg");
  });

  it("lists at most eight matches and none for empty text", () => {
    const many = new CatalogueIndex(Array.from({ length: 50 }, (_, i) => item(`P${i}`, `Biscuit ${i}`)));
    expect(many.search("biscuit")).toHaveLength(8);
    expect(many.search("  ")).toEqual([]);
  });
});

describe("telling a barcode scanner from a person", () => {
  const typeAt = (d: ScanDetector, text: string, times: number[]) => times.forEach((t, i) => d.key(t, text[i]!));

  it("takes a fast burst of digits as a scan", () => {
    const d = new ScanDetector();
    typeAt(d, "8941100500012", [0, 8, 15, 22, 30, 38, 45, 52, 60, 68, 75, 83, 90]);
    expect(d.scanned()).toBe(true);
  });

  it("does not take a person's typing, a fast word, or a few quick digits as a scan", () => {
    const person = new ScanDetector();
    typeAt(person, "894110", [0, 120, 250, 390, 500, 640]);
    expect(person.scanned()).toBe(false);
    const word = new ScanDetector();
    typeAt(word, "Notebook", [0, 5, 10, 15, 20, 25, 30, 35]);
    expect(word.scanned()).toBe(false);
    const short = new ScanDetector();
    typeAt(short, "123", [0, 5, 10]);
    expect(short.scanned()).toBe(false);
    const reset = new ScanDetector();
    typeAt(reset, "894110", [0, 5, 10, 15, 20, 25]);
    reset.reset();
    expect(reset.scanned()).toBe(false);
  });
});

describe("searching keystroke by keystroke", () => {
  it("finds the same products whether the query grows, shrinks or changes", () => {
    const many = new CatalogueIndex(
      Array.from({ length: 300 }, (_, i) => item(`P${i}`, `${["Pran", "ACI", "Teer"][i % 3]} ${["rice", "oil", "tea"][(i / 3) % 3 | 0]} ${i}`)),
    );
    const fresh = (q: string) => new CatalogueIndex(Array.from({ length: 300 }, (_, i) => item(`P${i}`, `${["Pran", "ACI", "Teer"][i % 3]} ${["rice", "oil", "tea"][(i / 3) % 3 | 0]} ${i}`))).search(q);
    for (const q of ["p", "pr", "pra", "pran", "pran r", "pran ri", "pran", "a", "ac", "aci oil 1", "t", "te", "tea 29"]) {
      expect(many.search(q)).toEqual(fresh(q));
    }
  });
});
