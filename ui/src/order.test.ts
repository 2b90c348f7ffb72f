import { describe, expect, it } from "vitest";
import { orderTotal, parseQuantity, payable, type OrderLine } from "./order";

const line = (quantity: number, unitPoisha: number, id = 1): OrderLine => ({ id, code: null, name: "x", quantity, unitPoisha });

describe("order totals", () => {
  it("adds quantity times unit price in whole poisha", () => {
    // 3 × 0.10 is exactly 0.30 here; in floats it would be 0.30000000000000004.
    expect(orderTotal([line(3, 10, 1), line(2, 62_500_25, 2)])).toBe(30 + 125_000_50);
  });

  it("is payable only between 1 taka and 10 lakh taka", () => {
    expect(payable([])).toBe(false);
    expect(payable([line(1, 99)])).toBe(false);
    expect(payable([line(1, 100)])).toBe(true);
    expect(payable([line(2, 50_000_000)])).toBe(true);
    expect(payable([line(2, 50_000_001)])).toBe(false);
  });

  it("takes whole quantities from 1 to 9999 only", () => {
    expect(parseQuantity("3")).toBe(3);
    expect(parseQuantity("0")).toBeNull();
    expect(parseQuantity("1.5")).toBeNull();
    expect(parseQuantity("-1")).toBeNull();
    expect(parseQuantity("10000")).toBeNull();
  });
});

describe("quantities in Bengali digits", () => {
  it("reads ১২ as 12 and still refuses 0 and five digits", () => {
    expect(parseQuantity("১২")).toBe(12);
    expect(parseQuantity("০")).toBeNull();
    expect(parseQuantity("১২৩৪৫")).toBeNull();
  });
});
