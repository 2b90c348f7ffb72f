import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOGS, digits, formatCount, t } from "./i18n";
import { formatBdt } from "./money";
import en from "./i18n/en.json";
import bn from "./i18n/bn.json";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(entry.name) && !entry.name.includes(".test.") ? [path] : [];
  });
}

describe("the catalogs", () => {
  it("have the same keys in Bangla and English, with the same placeholders", () => {
    expect(Object.keys(bn).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(bn[key]), key).toEqual(placeholders(en[key]));
      expect(bn[key].trim(), key).not.toBe("");
    }
  });

  it("hold every text the code asks for", () => {
    const root = new URL(".", import.meta.url).pathname;
    const asked = sources(root).flatMap((file) => [...readFileSync(file, "utf8").matchAll(/\bt\("([\w.]+)"/g)].map((m) => m[1]!));
    expect(asked.length).toBeGreaterThan(100);
    const missing = asked.filter((key) => !(key in en));
    expect(missing).toEqual([]);
  });
});

describe("t and the number formats", () => {
  const bangla = { lang: "bn" as const, bengaliDigits: true };
  const banglaLatin = { lang: "bn" as const, bengaliDigits: false };

  it("fills placeholders, numbers in the chosen digits", () => {
    expect(t("day.range", { first: 1, last: 50, total: 1200 })).toBe("1–50 of 1,200");
    expect(t("day.range", { first: 1, last: 50, total: 1200 }, bangla)).toBe("১,২০০টির মধ্যে ১–৫০");
    expect(t("day.range", { first: 1, last: 50, total: 1200 }, banglaLatin)).toBe("1,200টির মধ্যে 1–50");
    expect(formatCount(125000, bangla)).toBe("১,২৫,০০০");
    expect(digits("2026-11-25 16:11:29", bangla)).toBe("২০২৬-১১-২৫ ১৬:১১:২৯");
    expect(CATALOGS.bn["tab.manager"]).toBe("ম্যানেজার");
  });

  it("writes taka with lakh grouping in either digits", () => {
    expect(formatBdt(12500050, "en-IN")).toBe("৳1,25,000.50");
    expect(formatBdt(12500050, "bn-BD")).toBe("১,২৫,০০০.৫০৳");
    expect(formatBdt(12500050, "bn-BD-u-nu-latn")).toBe("1,25,000.50৳");
  });
});
