// An order at the counter: lines of name × quantity × unit price, in poisha.
import { asciiDigits, MAX_PAYMENT_POISHA, MIN_PAYMENT_POISHA } from "./money";
import type { SaleLine } from "./generated/types";

/** An item name longer than this is a paste gone wrong; the receipt has one line for it. */
export const MAX_ITEM_NAME = 80;

export interface OrderLine {
  id: number;
  /** The catalogue's code; `null` for a free-text line. */
  code: string | null;
  name: string;
  quantity: number;
  unitPoisha: number;
}

/** The lines as the core journals them. */
export function saleLines(lines: readonly OrderLine[]): SaleLine[] {
  return lines.map(({ code, name, quantity, unitPoisha }) => ({ code, name, quantity, unitPoisha }));
}

export function withQuantity(line: OrderLine, quantity: number): OrderLine {
  return { ...line, quantity };
}

export function lineTotal(line: OrderLine): number {
  return line.quantity * line.unitPoisha;
}

export function orderTotal(lines: readonly OrderLine[]): number {
  return lines.reduce((sum, line) => sum + lineTotal(line), 0);
}

/** An order can be paid when it has lines and its total is within bKash's and our limits. */
export function payable(lines: readonly OrderLine[]): boolean {
  const total = orderTotal(lines);
  return lines.length > 0 && total >= MIN_PAYMENT_POISHA && total <= MAX_PAYMENT_POISHA;
}

export function parseQuantity(text: string): number | null {
  const trimmed = asciiDigits(text).trim();
  if (!/^\d{1,4}$/.test(trimmed)) return null;
  const quantity = Number(trimmed);
  return quantity >= 1 ? quantity : null;
}
