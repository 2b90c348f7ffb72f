// Receipts on the shop's printer, in Chromium with the core mocked: the
// automatic print after a paid sale, a failure worded in the cashier's
// language with Reprint, and the printer settings with their test print.
// (tests/it/print.rs drives a fake ESC/POS printer; the E2E tier the real app.)
import { join } from "node:path";
import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { calls, emit, launchBrowser, openApp, screenshotDir, TRAINING_INFO, type IpcFixture } from "./harness";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(screenshotDir, { recursive: true });
});
afterAll(async () => browser?.close());

const PAID = {
  id: 4,
  orderId: "S-1",
  invoice: "C1-20261130090000-PRINTME1",
  state: "completed",
  amountPoisha: 25000,
  paymentID: "TR1",
  trxID: "BKPRINT001",
  maskedWallet: "017XXXXX575",
  reason: null,
  bkashMessage: null,
  counterId: "C1",
  payAt: "counter",
  statusPolls: 0,
  createdAt: "2026-11-30T09:00:00Z",
  settledAt: "2026-11-30T09:00:30Z",
};
const ESCPOS = { ...TRAINING_INFO, printer: "escpos", printAutomatically: true };

function fixture(info: object, extra: IpcFixture = {}): IpcFixture {
  return {
    app_info: { ok: info },
    recovery_status: { ok: { checking: [], resolved: [] } },
    pay: { ok: { ...PAID, state: "new", paymentID: null, trxID: null, maskedWallet: null, settledAt: null } },
    ...extra,
  };
}

async function paidSale(page: Page): Promise<void> {
  await page.getByTestId("cashier-screen").waitFor();
  await page.keyboard.type("Rice");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await page.keyboard.type("250");
  await page.keyboard.press("Enter");
  await page.keyboard.press("F9");
  await expect.poll(async () => (await calls(page)).some((c) => c.cmd === "pay")).toBe(true);
  await emit(page, "payment", PAID);
  await page.getByTestId("receipt").waitFor();
}

describe("receipts on the shop's printer", () => {
  it("prints a paid sale's receipt by itself, once, in the cashier's language", async () => {
    const page = await openApp(browser, fixture(ESCPOS, { print_receipt: { ok: { printer: "192.168.1.50:9100" } } }));
    await paidSale(page);
    await expect(page.getByTestId("print-outcome").textContent()).resolves.toBe("Receipt printed on 192.168.1.50:9100.");
    const printed = (await calls(page)).filter((c) => c.cmd === "print_receipt");
    expect(printed).toEqual([{ cmd: "print_receipt", args: { receipt: { kind: "payment", payment: 4 }, language: "en" } }]);
    await emit(page, "payment", PAID);
    await page.waitForTimeout(100);
    expect((await calls(page)).filter((c) => c.cmd === "print_receipt")).toHaveLength(1);
    await page.close();
  });

  it("says in Bangla why a receipt did not print, keeps the sale, and offers Reprint", async () => {
    const failed = { code: "print_failed", message: "The receipt was not printed", details: { problem: "print.out_of_paper", printer: "192.168.1.50:9100" } };
    const page = await openApp(browser, fixture(ESCPOS, { print_receipt: { err: failed } }));
    await page.getByTestId("language").selectOption("bn");
    await paidSale(page);
    const text = await page.getByTestId("print-outcome").textContent();
    expect(text).toContain("প্রিন্টারে কাগজ নেই");
    expect(text).toContain("192.168.1.50:9100");
    await expect(page.getByTestId("print-receipt").textContent()).resolves.toBe("আবার রসিদ প্রিন্ট");
    await expect(page.getByTestId("pay-panel").getAttribute("data-state")).resolves.toBe("paid");
    await page.getByTestId("print-receipt").click();
    await expect.poll(async () => (await calls(page)).filter((c) => c.cmd === "print_receipt").length).toBe(2);
    expect((await calls(page)).find((c) => c.cmd === "print_receipt")?.args.language).toBe("bn");
    await page.screenshot({ path: join(screenshotDir, "print-failed-bn.png") });
    await page.close();
  });

  it("without a printer, Print receipt opens the print dialog and nothing is sent to a printer", async () => {
    const page = await openApp(browser, fixture(TRAINING_INFO));
    await page.evaluate(() => {
      (window as unknown as { __printed: number }).__printed = 0;
      window.print = () => void ((window as unknown as { __printed: number }).__printed += 1);
    });
    await paidSale(page);
    await page.getByTestId("print-receipt").click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { __printed: number }).__printed)).toBe(1);
    expect((await calls(page)).some((c) => c.cmd === "print_receipt")).toBe(false);
    await page.close();
  });

  it("sets up a thermal printer and test-prints the settings being edited, before they are saved", async () => {
    const settings = {
      settings: {
        shopName: "Rahim Store", counterId: "C1", environment: "training", product: "checkout", callbackUrl: null, payAt: "counter", phoneTimeoutSecs: 180,
        customerDisplay: false, trainingPhoneAccess: false, printer: "none", cupsPrinter: null, escposAddress: null, paper: "80mm",
        printAutomatically: true, openDrawer: false, startOnLogin: false, baseUrl: null, scriptUrl: null, timeoutSecs: 30, connectTimeoutSecs: 10,
      },
      credentials: { stored: false, username: "", appKey: "" },
      secretsKeptIn: "the OS keyring (Secret Service)",
    };
    const page = await openApp(browser, fixture(TRAINING_INFO, {
      manager_status: { ok: { pinSet: true, unlocked: true } },
      get_settings: { ok: settings },
      print_receipt: { ok: { printer: "192.168.1.50:9100" } },
      cups_printers: { ok: ["Office_Laser", "Counter_Receipt"] },
    }));
    await page.getByTestId("tab-settings").click();
    await page.getByTestId("setting-printer-cups").check();
    await expect(page.locator("[data-testid=setting-cupsPrinter] option").allTextContents()).resolves.toEqual(["", "Office_Laser", "Counter_Receipt"]);
    await page.getByTestId("setting-printer-escpos").check();
    await page.getByTestId("setting-escposAddress").fill("192.168.1.50:9100");
    await page.getByTestId("setting-paper-58mm").check();
    await page.getByTestId("setting-openDrawer").check();
    await page.getByTestId("test-print").click();
    await expect(page.getByTestId("test-print-message").textContent()).resolves.toBe("Receipt printed on 192.168.1.50:9100.");
    const test = (await calls(page)).find((c) => c.cmd === "print_receipt");
    expect(test?.args).toEqual({
      receipt: { kind: "sample", draft: { printer: "escpos", cupsPrinter: null, escposAddress: "192.168.1.50:9100", paper: "58mm", openDrawer: true } },
      language: "en",
    });
    await page.screenshot({ path: join(screenshotDir, "settings-printer.png"), fullPage: true });
    await page.close();
  });
});
