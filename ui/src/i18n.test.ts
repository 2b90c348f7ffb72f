import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOGS, digits, errorText, formatCount, reasonText, t } from "./i18n";
import { ERROR_CODES, type CommandError } from "./generated/types";
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

describe("what a failure says", () => {
  const english = { lang: "en", bengaliDigits: false } as const;
  const bangla = { lang: "bn", bengaliDigits: false } as const;
  const failure = (code: CommandError["code"], details: Record<string, string>, message = "the core's English"): CommandError => ({ code, message, details });

  it("words every error code the core can send, in both languages", () => {
    for (const code of ERROR_CODES) {
      expect(Object.keys(en), code).toContain(`error.${code}`);
      expect(Object.keys(bn), code).toContain(`error.${code}`);
    }
  });

  it("fills the core's details into the chosen language's text", () => {
    expect(errorText(failure("pin_wrong", { left: "4" }), english)).toBe("Wrong PIN. 4 tries left before it locks.");
    expect(errorText(failure("pin_wrong", { left: "4" }), bangla)).toBe("ভুল পিন। লক হওয়ার আগে আর 4 বার চেষ্টা করা যাবে।");
    expect(errorText(failure("refund_too_large", { left: "120.50" }), bangla)).toContain("৳120.50");
  });

  it("words create's refusal by its reason, and falls back to the core's sentence for a code it does not know", () => {
    expect(errorText(failure("create_failed", { reason: "reason.token_budget" }), english)).toBe(
      "bKash could not start the payment: " + en["reason.token_budget"],
    );
    expect(errorText({ code: "newer_code", message: "Something new happened.", details: {} }, english)).toBe("Something new happened.");
    expect(errorText(new Error("socket closed"), english)).toBe("Error: socket closed");
  });

  it("tells bKash's reason by its code, or in bKash's own words when the catalogs do not know the code", () => {
    expect(reasonText({ reason: { kind: "bkash", code: "2023" }, bkashMessage: "Insufficient Balance" }, english)).toBe(
      "The customer's bKash balance is too low for this amount. (bKash 2023: Insufficient Balance)",
    );
    expect(reasonText({ reason: { kind: "bkash", code: "2999" }, bkashMessage: "Some new refusal" }, bangla)).toBe("Some new refusal (বিকাশ 2999)");
    expect(reasonText({ reason: { kind: "cause", code: "answer_mismatch" }, bkashMessage: null }, english)).toBe(en["reason.answer_mismatch"]);
    expect(reasonText({ reason: { kind: "checking" }, bkashMessage: null }, bangla)).toBe(bn["reason.checking"]);
    expect(reasonText({ reason: null, bkashMessage: null }, english)).toBeNull();
  });
});
