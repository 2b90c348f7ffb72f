import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { amountErrorText, formatBdt, parseAmount, toBkashAmount } from "./money";

describe("parseAmount", () => {
  it.each([
    ["85", 8500],
    ["85.5", 8550],
    ["85.50", 8550],
    ["1", 100],
    ["0.01", 1],
    ["1,25,000", 12_500_000],
    [" 10.00 ", 1000],
    ["1000000", 100_000_000],
  ])("reads %j as %i poisha", (text, poisha) => {
    expect(parseAmount(text)).toEqual({ ok: true, poisha });
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["0", "not_positive"],
    ["0.00", "not_positive"],
    ["-5", "not_positive"],
    ["12.345", "too_many_decimals"],
    ["abc", "not_a_number"],
    ["12a", "not_a_number"],
    ["1e5", "not_a_number"],
    ["NaN", "not_a_number"],
    ["Infinity", "not_a_number"],
    ["0x10", "not_a_number"],
    ["1000000.01", "too_large"],
    ["99999999999999999999999999", "too_large"],
  ])("refuses %j as %s", (text, error) => {
    expect(parseAmount(text)).toEqual({ ok: false, error });
  });
});

describe("formatBdt", () => {
  it("shows the taka sign with lakh and crore grouping", () => {
    expect(formatBdt(12_500_050)).toBe("৳1,25,000.50");
    expect(formatBdt(1_000_000_000)).toBe("৳1,00,00,000.00");
    expect(formatBdt(0)).toBe("৳0.00");
  });
});

describe("toBkashAmount", () => {
  it("writes bKash's string form with exactly two decimals and no grouping", () => {
    expect(toBkashAmount(8550)).toBe("85.50");
    expect(toBkashAmount(1)).toBe("0.01");
    expect(toBkashAmount(100_000_000)).toBe("1000000.00");
  });
});

describe("what cashiers type in Bangladesh", () => {
  it.each([
    ["1,250", 125_000],
    ["1,25,000", 12_500_000],
    ["125,000", 12_500_000],
    ["1,250.50", 125_050],
    ["১০০", 10_000],
    ["৮৫.৫০", 8_550],
    ["১,২৫০", 125_000],
  ])("reads %j as %i poisha", (text, poisha) => {
    expect(parseAmount(text)).toEqual({ ok: true, poisha });
  });

  it.each(["12,50", "12,5", "1,2,3", ",100", "100,", "1,25,00", "1.250,50", "12,50.00"])("refuses the decimal comma or bad grouping in %j, never reading it as taka", (text) => {
    expect(parseAmount(text)).toEqual({ ok: false, error: "bad_grouping" });
  });

  it("says how to write it", () => {
    expect(amountErrorText("bad_grouping")).toContain("12.50");
  });
});

describe("the typed-amount table the core reads too", () => {
  const table = JSON.parse(readFileSync(new URL("../../tests/fixtures/typed-amounts.json", import.meta.url), "utf8")) as { rows: Array<[string, number | string]> };

  it.each(table.rows)("reads %j as %j, exactly as Amount::parse_typed does", (text, expected) => {
    expect(parseAmount(text)).toEqual(typeof expected === "number" ? { ok: true, poisha: expected } : { ok: false, error: expected });
  });

  it("names the space, in both languages", () => {
    expect(amountErrorText("inner_space")).toContain("1,250");
  });
});
