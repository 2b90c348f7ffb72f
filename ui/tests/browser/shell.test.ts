import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { emit, launchBrowser, openApp, screenshotDir, TRAINING_INFO } from "./harness";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(screenshotDir, { recursive: true });
});
afterAll(async () => browser?.close());

describe("app shell in Chromium", () => {
  it("shows the training banner and an empty order on a 1366×768 counter screen", async () => {
    const page = await openApp(browser, { app_info: { ok: TRAINING_INFO } });
    await expect(page.getByTestId("training-banner").textContent()).resolves.toContain("TRAINING MODE: no real money");
    await expect(page.getByTestId("order-total").textContent()).resolves.toBe("৳0.00");
    // Nothing on the cashier screen needs scrolling at the counter's resolution.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
    await page.screenshot({ path: join(screenshotDir, "cashier-training.png") });
    await page.close();
  });

  it("shows no training banner in production", async () => {
    const page = await openApp(browser, { app_info: { ok: { ...TRAINING_INFO, environment: "production", movesRealMoney: true } } });
    await page.getByTestId("cashier-screen").waitFor();
    expect(await page.getByTestId("training-banner").count()).toBe(0);
    await page.close();
  });

  it("says plainly when the core cannot start, with the core's message", async () => {
    const page = await openApp(browser, { app_info: { err: { code: "journal_locked", message: "The payment journal is in use by another program." } } });
    await expect(page.getByTestId("startup-error").textContent()).resolves.toContain("The payment journal is in use by another program.");
    await page.close();
  });

  it("stops payments with the journal's own reason when the journal cannot be used", async () => {
    const journalError = "the payment journal /data/journal.sqlite3 is damaged (file is not a database). It was left untouched";
    const page = await openApp(browser, { app_info: { ok: { ...TRAINING_INFO, paymentsStopped: journalError } } });
    await expect(page.getByTestId("payments-stopped").textContent()).resolves.toBe(`Payments are stopped: ${journalError}`);
    await page.screenshot({ path: join(screenshotDir, "journal-damaged.png") });
    await page.close();
  });

  it("words why the counter could not open in the shop's language, with the part's own cause", async () => {
    const detail = "the payment journal /data/journal.sqlite3 is damaged (file is not a database). It was left untouched";
    const page = await openApp(browser, {
      app_info: { ok: { ...TRAINING_INFO, paymentsStopped: detail, stoppedBecause: { problem: "journal", detail } } },
    });
    await expect(page.getByTestId("payments-stopped").textContent()).resolves.toBe(`Payments are stopped: the payment journal cannot be opened: ${detail}`);
    await page.getByTestId("language").selectOption("bn");
    await expect.poll(() => page.getByTestId("payments-stopped").textContent()).toBe(`পেমেন্ট বন্ধ আছে: পেমেন্ট জার্নাল খোলা যাচ্ছে না: ${detail}`);
    await page.close();
  });

  it("stops payments while another program holds the journal, names it, and comes back by itself when it lets go", async () => {
    const page = await openApp(browser, {
      app_info: { ok: { ...TRAINING_INFO, journalLocked: "sqlite3, process 4242" } },
      journal_locked: { ok: "sqlite3, process 4242" },
      recovery_status: { ok: { checking: [], resolved: [] } },
    });
    const banner = page.getByTestId("journal-locked");
    await expect(banner.textContent()).resolves.toContain("another program is using the payment journal (sqlite3, process 4242). Close that program");
    expect(await page.getByTestId("payments-stopped").count()).toBe(0);
    await page.keyboard.type("Tea");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.type("10");
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("pay-bkash").isDisabled()).resolves.toBe(true);
    await expect(page.getByTestId("pay-cash").isDisabled()).resolves.toBe(true);
    // The whole banner is on a 768 px screen.
    const box = await banner.boundingBox();
    expect(box && box.y + box.height <= 768).toBe(true);
    await page.screenshot({ path: join(screenshotDir, "journal-locked.png") });
    // The shell is closed: the core says so, and the counter takes payments again.
    await emit(page, "journal-locked", null);
    await banner.waitFor({ state: "detached" });
    await expect(page.getByTestId("pay-bkash").isDisabled()).resolves.toBe(false);
    await expect(page.getByTestId("pay-cash").isDisabled()).resolves.toBe(false);
    await page.close();
  });

  it("shows no payment-stopped banner when the journal is healthy", async () => {
    const page = await openApp(browser, { app_info: { ok: TRAINING_INFO } });
    await page.getByTestId("cashier-screen").waitFor();
    expect(await page.getByTestId("payments-stopped").count()).toBe(0);
    await page.close();
  });

  it("asks the core for app_info exactly once on start", async () => {
    const page = await openApp(browser, { app_info: { ok: TRAINING_INFO }, recovery_status: { ok: { checking: [], resolved: [] } } });
    await page.getByTestId("app-ready").waitFor();
    await page.waitForTimeout(100);
    const made = await page.evaluate(() => (window as unknown as { __IPC_CALLS__: { cmd: string }[] }).__IPC_CALLS__.map((c) => c.cmd));
    expect(made.filter((c) => c === "app_info")).toEqual(["app_info"]);
    await page.close();
  });
});

describe("ringing up in Chromium", () => {
  it("adds lines from the keyboard and refuses bad prices with a reason", async () => {
    const page = await openApp(browser, { app_info: { ok: TRAINING_INFO } });
    await page.getByTestId("cashier-screen").waitFor();
    await page.keyboard.type("Tea");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.type("12.50");
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("order-total").textContent()).resolves.toBe("৳12.50");

    for (const [bad, reason] of [
      ["", "Enter an amount."],
      ["0", "more than zero"],
      ["-3", "more than zero"],
      ["1.999", "at most 2 decimal places"],
      ["twelve", "not an amount"],
      ["1000001", "more than 10 lakh"],
    ] as const) {
      await page.getByTestId("item-price").fill(bad);
      await page.getByTestId("item-price").press("Enter");
      await expect(page.getByTestId("line-error").textContent()).resolves.toContain(reason);
      await expect(page.getByTestId("item-price").getAttribute("aria-invalid")).resolves.toBe("true");
    }
    await expect(page.getByTestId("order-total").textContent()).resolves.toBe("৳12.50");
    await page.screenshot({ path: join(screenshotDir, "cashier-bad-price.png") });
    await page.close();
  });
});
