// Money in the UI is integer poisha (1 BDT = 100 poisha), never a float.
import { SALE_RULES } from "./generated/types";
import { numberLocale, t } from "./i18n";

/** The sale rules are the core's (`money::sale`), generated into `SALE_RULES`: at least bKash's 1 BDT. */
export const MIN_PAYMENT_POISHA = SALE_RULES.minSalePoisha;
/** At most 10 lakh taka: a counter sale above that is almost certainly a typo. */
export const MAX_PAYMENT_POISHA = SALE_RULES.maxSalePoisha;

export type AmountError = "empty" | "not_a_number" | "too_many_decimals" | "not_positive" | "too_large" | "bad_grouping" | "inner_space";

export type ParsedAmount = { ok: true; poisha: number } | { ok: false; error: AmountError };

const AMOUNT_PATTERN = /^(\d+)(?:\.(\d*))?$/;

/** Bengali digits (০–৯), as the app shows them, read as 0–9. */
export function asciiDigits(text: string): string {
  return text.replace(/[\u09E6-\u09EF]/g, (d) => String(d.charCodeAt(0) - 0x09e6));
}

/** A comma may only group digits: lakh/crore ("1,25,000") or thousands
 * ("125,000"). "12,50" is somebody's decimal comma, never ৳1,250. */
const GROUPED = /^(?:\d{1,2}(?:,\d{2})*,\d{3}|\d{1,3}(?:,\d{3})+)(?:\.\d*)?$/;

/**
 * Parses what a cashier typed into poisha. Accepts "85", "85.5", "85.50",
 * Bengali digits ("৮৫.৫০") and correct digit grouping ("1,25,000",
 * "1,250"); refuses anything bKash would refuse or a person would not mean.
 * A space inside the number ("12 50", a no-break space) is refused: dropping
 * it once read "12 50" as ৳1,250. The core's `Amount::parse_typed` follows
 * the same rule, and both read one table (`tests/fixtures/typed-amounts.json`).
 */
export function parseAmount(text: string): ParsedAmount {
  const spaced = asciiDigits(text).trim();
  if (spaced === "") return { ok: false, error: "empty" };
  if (/\s/.test(spaced)) return { ok: false, error: "inner_space" };
  if (spaced.includes(",") && !GROUPED.test(spaced.replace(/^-/, ""))) return { ok: false, error: "bad_grouping" };
  const trimmed = spaced.replace(/,/g, "");
  if (trimmed === "") return { ok: false, error: "empty" };
  if (trimmed.startsWith("-")) {
    return AMOUNT_PATTERN.test(trimmed.slice(1)) ? { ok: false, error: "not_positive" } : { ok: false, error: "not_a_number" };
  }
  const match = AMOUNT_PATTERN.exec(trimmed);
  if (!match) return { ok: false, error: "not_a_number" };
  const whole = match[1] ?? "0";
  const fraction = match[2] ?? "";
  if (fraction.length > 2) return { ok: false, error: "too_many_decimals" };
  // Compare digit counts before converting, so a 40-digit paste cannot lose precision.
  const wholeDigits = whole.replace(/^0+(?=\d)/, "");
  if (wholeDigits.length > 9) return { ok: false, error: "too_large" };
  const poisha = Number(wholeDigits) * 100 + Number(fraction.padEnd(2, "0"));
  if (poisha <= 0) return { ok: false, error: "not_positive" };
  if (poisha > MAX_PAYMENT_POISHA) return { ok: false, error: "too_large" };
  return { ok: true, poisha };
}

const formatters = new Map<string, Intl.NumberFormat>();

/** "৳1,25,000.50" (or "৳১,২৫,০০০.৫০" with Bengali digits): the taka sign
 * with lakh/crore grouping, in the chosen language's digits. */
export function formatBdt(poisha: number, locale: string = numberLocale()): string {
  let format = formatters.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: "currency", currency: "BDT", currencyDisplay: "narrowSymbol", minimumFractionDigits: 2, maximumFractionDigits: 2 });
    formatters.set(locale, format);
  }
  return format.format(poisha / 100);
}

/** The exact string bKash expects: at most 2 decimals, no grouping ("85.50"). */
export function toBkashAmount(poisha: number): string {
  const whole = Math.trunc(poisha / 100);
  const fraction = String(poisha % 100).padStart(2, "0");
  return `${whole}.${fraction}`;
}

/** Why an amount was refused, in the current language. */
export function amountErrorText(error: AmountError): string {
  return t(`amount.${error}`);
}
