// Bangla and English for the whole UI. Texts live in the catalogs
// (i18n/en.json, i18n/bn.json), never in components; numbers and dates go
// through Intl, with Bengali digits as a separate choice.
import { useEffect, useState } from "preact/hooks";
import en from "./i18n/en.json";
import bn from "./i18n/bn.json";
import type { CommandError, PaymentView } from "./generated/types";

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

export function known(key: string): key is Key {
  return key in CATALOGS.en;
}

/** Why a payment failed, ended or waits, in the current language. A bKash
 * code the catalogs do not know is told in bKash's own words, with its code. */
export function reasonText(view: Pick<PaymentView, "reason" | "bkashMessage">, c: LanguageChoice = choice): string | null {
  const reason = view.reason;
  if (!reason) return null;
  if (reason.kind !== "bkash") {
    const key = reason.kind === "cause" ? `reason.${reason.code}` : `reason.${reason.kind}`;
    return known(key) ? t(key, {}, c) : t("reason.refused", {}, c);
  }
  const key = `reason.${reason.code}`;
  const message = view.bkashMessage;
  if (known(key)) {
    return message ? t("reason.bkashCode", { text: t(key, {}, c), code: reason.code, message }, c) : t("reason.bkashCodeOnly", { text: t(key, {}, c), code: reason.code }, c);
  }
  return t("reason.bkashCodeOnly", { text: message ?? t("reason.refused", {}, c), code: reason.code }, c);
}

export function isCommandError(value: unknown): value is CommandError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Record<string, unknown>).code === "string" &&
    typeof (value as Record<string, unknown>).message === "string"
  );
}

/** What a command's failure says, in the current language: the catalog's
 * `error.<code>` with the core's details filled in. The core's English
 * sentence is the fallback for a code this UI does not know. */
export function errorText(error: unknown, c: LanguageChoice = choice): string {
  if (!isCommandError(error)) return String(error);
  const key = `error.${error.code}`;
  if (!known(key)) return error.message;
  const details: Record<string, string> = { ...(error.details ?? {}) };
  // create_failed names its reason as a catalog key, worded here.
  if (error.code === "create_failed" && details.reason) details.reason = known(details.reason) ? t(details.reason, {}, c) : t("reason.refused", {}, c);
  // print_failed names its problem as a catalog key too.
  if (error.code === "print_failed" && details.problem && known(details.problem)) details.problem = t(details.problem, {}, c);
  if (error.code === "role_needed") {
    if (details.least && known(`role.${details.least}`)) details.least = t(`role.${details.least}` as Key, {}, c);
    if (details.action) details.action = actionText(details.action, c);
  }
  if (error.code === "wrong_state" && details.state && known(`state.${details.state}`)) details.state = t(`state.${details.state}` as Key, {}, c);
  return t(key, details, c);
}

/** The words for an action of the role table (`action.<name>`). */
export function actionText(action: string, c: LanguageChoice = choice): string {
  const key = `action.${action}`;
  return known(key) ? t(key, {}, c) : action;
}
