// Bangla and English, switched at any time, with Bengali digits optional.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser, openApp, screenshotDir, TRAINING_INFO } from "./harness";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(screenshotDir, { recursive: true });
});
afterAll(async () => browser?.close());

describe("language", () => {
  it("switches the whole counter to Bangla, then to Bengali digits, without losing the order", async () => {
    const page = await openApp(browser, { app_info: { ok: TRAINING_INFO }, recovery_status: { ok: { checking: [], resolved: [] } } });
    await page.getByTestId("cashier-screen").waitFor();
    await page.keyboard.type("চাল");
    await page.keyboard.press("Tab");
    await page.keyboard.type("2");
    await page.keyboard.press("Tab");
    await page.keyboard.type("62500.25");
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("order-total").textContent()).resolves.toBe("৳1,25,000.50");

    await page.getByTestId("language").selectOption("bn");
    await expect(page.getByTestId("tab-counter").textContent()).resolves.toBe("কাউন্টার");
    await expect(page.getByTestId("training-banner").textContent()).resolves.toContain("প্রশিক্ষণ মোড");
    await expect(page.getByTestId("pay-bkash").textContent()).resolves.toBe("বিকাশে পেমেন্ট (F9)");
    await expect(page.getByTestId("order-total").textContent()).resolves.toBe("1,25,000.50৳");
    expect(await page.locator("html").evaluate(() => document.querySelector("[data-testid=app-ready]")?.getAttribute("lang"))).toBe("bn");

    await page.getByTestId("bengali-digits").check();
    await expect(page.getByTestId("order-total").textContent()).resolves.toBe("১,২৫,০০০.৫০৳");
    await page.screenshot({ path: join(screenshotDir, "cashier-bangla.png") });

    // A bad price is refused in Bangla.
    await page.getByTestId("item-price").fill("1.999");
    await page.getByTestId("item-price").press("Enter");
    await expect(page.getByTestId("line-error").textContent()).resolves.toContain("দশমিকের পরে সর্বোচ্চ ২ ঘর");

    // The choice is kept for the next start.
    await page.reload();
    await expect(page.getByTestId("tab-counter").textContent()).resolves.toBe("কাউন্টার");
    await page.getByTestId("language").selectOption("en");
    await page.getByTestId("bengali-digits").uncheck();
    await expect(page.getByTestId("tab-counter").textContent()).resolves.toBe("Counter");
    await page.close();
  });
});
