import { describe, expect, it } from "vitest";
import { usableLanguage } from "./locale";

describe("usableLanguage", () => {
  it("turns WebKitGTK's POSIX locale into a tag Intl accepts, and keeps real tags", () => {
    expect(usableLanguage("C")).toBe("en-US");
    expect(usableLanguage("")).toBe("en-US");
    expect(usableLanguage(undefined)).toBe("en-US");
    expect(usableLanguage("bn-BD")).toBe("bn-BD");
    expect(() => new Intl.NumberFormat(usableLanguage("C"))).not.toThrow();
  });
});
