// Imported first by main.tsx, before any library reads navigator.language.
//
// WebKitGTK reports the POSIX locale as navigator.language when the session
// runs with LANG=C or C.UTF-8 (common on kiosk and minimal installs): "C",
// which is not a BCP 47 tag, so `new Intl.NumberFormat(navigator.language)`
// throws. uPlot does exactly that when its module loads, which stopped the
// whole UI. Our own formatting names its locales; this is for libraries.
export function usableLanguage(tag: string | undefined): string {
  try {
    return tag ? (Intl.NumberFormat.supportedLocalesOf([tag])[0] ?? "en-US") : "en-US";
  } catch {
    return "en-US";
  }
}

const usable = typeof navigator === "undefined" ? undefined : usableLanguage(navigator.language);
if (usable !== undefined && usable !== navigator.language) {
  Object.defineProperty(navigator, "language", { value: usable, configurable: true });
  Object.defineProperty(navigator, "languages", { value: [usable], configurable: true });
}
