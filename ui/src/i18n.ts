// Bangla and English for the whole UI. Texts live in the catalogs
// (i18n/en.json, i18n/bn.json), never in components; numbers and dates go
// through Intl, with Bengali digits as a separate choice.
import { useEffect, useState } from "preact/hooks";
import en from "./i18n/en.json";
import bn from "./i18n/bn.json";

export type Lang = "en" | "bn";
export type Key = keyof typeof en;
export interface LanguageChoice {
  lang: Lang;
  bengaliDigits: boolean;
}

export const CATALOGS: Record<Lang, Record<Key, string>> = { en, bn };
const STORAGE_KEY = "bkash-pos.language";

function stored(): LanguageChoice {
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(STORAGE_KEY) ?? "null") as LanguageChoice | null;
    if (saved && (saved.lang === "en" || saved.lang === "bn")) return { lang: saved.lang, bengaliDigits: saved.bengaliDigits === true };
  } catch {
    // A damaged preference falls back to English; it is only a preference.
  }
  return { lang: "en", bengaliDigits: false };
}

let choice: LanguageChoice = stored();
const listeners = new Set<() => void>();

export function currentChoice(): LanguageChoice {
  return choice;
}

export function setChoice(next: LanguageChoice): void {
  choice = next;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch {
    // Not saved: the choice still holds until the app closes.
  }
  listeners.forEach((listener) => listener());
}

/** The Intl locale for numbers and dates under the current choice. */
export function numberLocale(c: LanguageChoice = choice): string {
  if (c.lang === "bn") return c.bengaliDigits ? "bn-BD" : "bn-BD-u-nu-latn";
  return c.bengaliDigits ? "en-IN-u-nu-beng" : "en-IN";
}

/** A count, in the chosen digits and grouping. */
export function formatCount(n: number, c: LanguageChoice = choice): string {
  return new Intl.NumberFormat(numberLocale(c)).format(n);
}

const BENGALI = "০১২৩৪৫৬৭৮৯";

/** Digits in an already formatted text (a date, a report number), in the
 * chosen digits. IDs such as trxIDs are never passed through this. */
export function digits(text: string, c: LanguageChoice = choice): string {
  return c.bengaliDigits ? text.replace(/[0-9]/g, (d) => BENGALI[Number(d)] ?? d) : text;
}

/** The text for `key` in the current language, with `{name}` filled in. */
export function t(key: Key, params: Record<string, string | number> = {}, c: LanguageChoice = choice): string {
  const template = CATALOGS[c.lang][key] ?? CATALOGS.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? new Intl.NumberFormat(numberLocale(c)).format(value) : value;
  });
}

/** Re-renders the caller when the language or digits change. */
export function useLanguage(): LanguageChoice {
  const [current, setCurrent] = useState(choice);
  useEffect(() => {
    const listener = () => setCurrent(choice);
    listeners.add(listener);
    return () => void listeners.delete(listener);
  }, []);
  return current;
}

/** Why a payment failed or waits, in the current language when the catalog
 * knows its code; otherwise the core's English sentence. */
export function reasonText(view: { reason: string | null; reasonCode: string | null }): string | null {
  const code = view.reasonCode;
  const key = `reason.${code}` as Key;
  if (!code || !(key in CATALOGS.en)) return view.reason;
  return /^\d+$/.test(code) ? t("reason.bkashCode", { text: t(key), code }) : t(key);
}
