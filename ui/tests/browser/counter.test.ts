// Every state of the cashier's payment panel, the recovery banner and the
// settings screen, in Chromium, with the core's answers and events mocked.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { calls, emit, launchBrowser, openApp, saleSent, screenshotDir, TRAINING_INFO, type IpcFixture } from "./harness";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(screenshotDir, { recursive: true });
});
afterAll(async () => browser?.close());

const VIEW = {
  id: 7,
  orderId: "S-1",
  invoice: "C1-20261125090000-ABCDEFGH",
  state: "new",
  amountPoisha: 125050,
  paymentID: null,
  trxID: null,
  maskedWallet: null,
  reason: null,
  bkashMessage: null,
  counterId: "C1",
  createdAt: "2026-11-25T09:00:00Z",
  settledAt: null,
};
const EMPTY_BOARD = { checking: [], resolved: [] };

function fixture(extra: IpcFixture = {}): IpcFixture {
  return {
    app_info: { ok: TRAINING_INFO },
    recovery_status: { ok: EMPTY_BOARD },
    pay: { ok: VIEW },
    manager_status: { ok: { pinSet: true, unlocked: true } },
    ...extra,
  };
}

/** Rings up ৳1,250.50 and presses F9, as a cashier would. */
async function ringUpAndPay(page: Page): Promise<void> {
  await page.getByTestId("cashier-screen").waitFor();
  await page.keyboard.type("Rice");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await page.keyboard.type("1250.50");
  await page.keyboard.press("Enter");
  await page.keyboard.press("F9");
}

const panel = (page: Page) => page.getByTestId("pay-panel");

describe("the payment panel", () => {
  it("pays the order total in poisha with F9 and shows each step the journal reports", async () => {
    const page = await openApp(browser, fixture());
    await ringUpAndPay(page);
    await expect.poll(() => panel(page).getAttribute("data-state")).toBe("starting");
    const pay = (await calls(page)).find((c) => c.cmd === "pay");
    // The sale goes with its lines; the core sums them (৳1,250.50 in poisha).
    expect(saleSent(pay)?.lines).toEqual([{ code: null, name: "Rice", quantity: 1, unitPoisha: 125050 }]);
    expect(String(saleSent(pay)?.orderId)).toMatch(/^S-\d{14}-[A-Z0-9]{4}$/);
    // The lines cannot change while money may be on its way.
    await expect(page.getByTestId("item-name").isDisabled()).resolves.toBe(true);

    await emit(page, "payment", { ...VIEW, state: "awaiting_customer", paymentID: "TR1" });
    await expect.poll(() => panel(page).getAttribute("data-state")).toBe("waiting");
    await expect(page.getByTestId("payment-status-title").textContent()).resolves.toContain("Waiting for the customer");
    await expect(page.getByTestId("cancel-payment").isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(screenshotDir, "panel-waiting.png") });

    await emit(page, "payment", { ...VIEW, state: "executing", paymentID: "TR1" });
    await expect.poll(() => panel(page).getAttribute("data-state")).toBe("executing");
    expect(await page.getByTestId("cancel-payment").count()).toBe(0);
    await page.close();
  });

  it("shows the receipt with trxID, amount, masked wallet and time when bKash completes", async () => {
    const page = await openApp(browser, fixture());
    await ringUpAndPay(page);
    await emit(page, "payment", {
      ...VIEW,
      state: "completed",
      paymentID: "TR1",
      trxID: "BFP9A7QX2L",
      maskedWallet: "017XXXXX575",
      settledAt: "2026-11-25T09:01:02Z",
    });
    await expect(page.getByTestId("receipt-trxid").textContent()).resolves.toBe("BFP9A7QX2L");
    await expect(page.getByTestId("receipt-amount").textContent()).resolves.toBe("৳1,250.50");
    await expect(page.getByTestId("receipt-wallet").textContent()).resolves.toBe("017XXXXX575");
    await expect(page.getByTestId("receipt-time").textContent()).resolves.toBe("25 Nov 2026, 15:01:02");
    // The cashier moves on with Enter: New sale has focus.
    await expect(page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).resolves.toBe("new-sale");
    await page.screenshot({ path: join(screenshotDir, "panel-paid-receipt.png") });
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("order-total").textContent()).resolves.toBe("৳0.00");
    expect(await page.getByTestId("receipt").count()).toBe(0);
    await page.close();
  });

  it("prints only the receipt, 80 mm wide", async () => {
    const page = await openApp(browser, fixture());
    await ringUpAndPay(page);
    await emit(page, "payment", { ...VIEW, state: "completed", trxID: "BFP9A7QX2L", maskedWallet: "017XXXXX575", settledAt: "2026-11-25T09:01:02Z" });
    await page.getByTestId("receipt").waitFor();
    await page.emulateMedia({ media: "print" });
    const printed = await page.evaluate(() => {
      const visible = (id: string) => getComputedStyle(document.querySelector(`[data-testid=${id}]`)!).visibility;
      return { receipt: visible("receipt"), total: visible("order-total"), width: document.querySelector("[data-testid=receipt]")!.getBoundingClientRect().width };
    });
    expect(printed.receipt).toBe("visible");
    expect(printed.total).toBe("hidden");
    // 74 mm of content inside the 80 mm roll, at 96 px per inch.
    expect(Math.round(printed.width)).toBe(Math.round((74 / 25.4) * 96));
    await page.close();
  });

  it("gives bKash's reason in plain words on failure and lets the cashier try again with a new payment", async () => {
    const reason = "The customer's bKash balance is too low for this amount. (bKash 2023: Insufficient Balance)";
    const page = await openApp(browser, fixture());
    await ringUpAndPay(page);
    await emit(page, "payment", { ...VIEW, state: "failed", reason: { kind: "bkash", code: "2023" }, bkashMessage: "Insufficient Balance" });
    await expect(page.getByTestId("payment-reason").textContent()).resolves.toBe(reason);
    await expect(page.getByTestId("pay-bkash").textContent()).resolves.toBe("Try again (F9)");
    await page.screenshot({ path: join(screenshotDir, "panel-failed.png") });
    await page.keyboard.press("F9");
    await expect.poll(async () => (await calls(page)).filter((c) => c.cmd === "pay").length).toBe(2);
    const pays = (await calls(page)).filter((c) => c.cmd === "pay");
    expect(saleSent(pays[1])?.orderId).toBe(saleSent(pays[0])?.orderId);
    await page.close();
  });

  it("words bKash's reason from its code in the chosen language", async () => {
    const page = await openApp(browser, fixture());
    await page.getByTestId("language").selectOption("bn");
    await ringUpAndPay(page);
    await emit(page, "payment", { ...VIEW, state: "failed", reason: { kind: "bkash", code: "2023" } });
    await expect(page.getByTestId("payment-reason").textContent()).resolves.toBe("এই পরিমাণের জন্য গ্রাহকের বিকাশ ব্যালেন্স কম। (বিকাশ 2023)");
    // A code the catalogs do not know: bKash's own words, with its code, in the chosen language's frame.
    await emit(page, "payment", { ...VIEW, state: "failed", reason: { kind: "bkash", code: "2999" }, bkashMessage: "Some new refusal" });
    await expect(page.getByTestId("payment-reason").textContent()).resolves.toBe("Some new refusal (বিকাশ 2999)");
    await page.close();
  });

  it("says Cancelled when the customer closes bKash, and Esc cancels before execute", async () => {
    const page = await openApp(browser, fixture({ cancel_payment: { ok: { ...VIEW, state: "cancelled", reason: { kind: "cancelled" } } } }));
    await ringUpAndPay(page);
    await emit(page, "payment", { ...VIEW, state: "awaiting_customer", paymentID: "TR1" });
    await expect.poll(() => panel(page).getAttribute("data-state")).toBe("waiting");
    await page.keyboard.press("Escape");
    await expect.poll(() => panel(page).getAttribute("data-state")).toBe("cancelled");
    expect((await calls(page)).some((c) => c.cmd === "cancel_payment")).toBe(true);
    await expect(page.getByTestId("payment-status-title").textContent()).resolves.toBe("Cancelled");
    await page.close();
  });

  it("shows Checking with bKash for an unknown outcome and never offers to pay that sale again", async () => {
    const page = await openApp(browser, fixture());
    await ringUpAndPay(page);
    await emit(page, "payment", { ...VIEW, state: "unknown", reason: { kind: "checking" } });
    await expect(page.getByTestId("payment-status-title").textContent()).resolves.toBe("Checking with bKash");
    expect(await page.getByTestId("pay-bkash").count()).toBe(0);
    await page.keyboard.press("F9");
    expect((await calls(page)).filter((c) => c.cmd === "pay").length).toBe(1);
    await page.screenshot({ path: join(screenshotDir, "panel-checking.png") });
    await page.close();
  });

  it("shows the core's refusal when Pay is refused, and keeps the order", async () => {
    const page = await openApp(browser, fixture({ pay: { err: { code: "invalid_amount", message: "The amount must be at most ৳10,00,000.00 for one counter sale.", details: {} } } }));
    await ringUpAndPay(page);
    await expect(page.getByTestId("pay-error").textContent()).resolves.toContain("at most ৳10,00,000.00");
    await expect(page.getByTestId("order-total").textContent()).resolves.toBe("৳1,250.50");
    await expect(page.getByTestId("pay-bkash").isEnabled()).resolves.toBe(true);
    await page.close();
  });

  it("keeps Pay disabled while payments are stopped", async () => {
    const page = await openApp(browser, fixture({ app_info: { ok: { ...TRAINING_INFO, paymentsStopped: "No bKash credentials are stored for production." } } }));
    await ringUpAndPay(page);
    await expect(page.getByTestId("pay-bkash").isDisabled()).resolves.toBe(true);
    expect((await calls(page)).some((c) => c.cmd === "pay")).toBe(false);
    await page.close();
  });
});

describe("the recovery banner", () => {
  it("counts the payments being checked and shows each outcome as it resolves", async () => {
    const checking = [
      { id: 3, orderId: "S-3", invoice: "C1-20261125090000-AAAA0003", amountPoisha: 73000, state: "unknown", trxID: null },
      { id: 4, orderId: "S-4", invoice: "C1-20261125090000-AAAA0004", amountPoisha: 5000, state: "executing", trxID: null },
    ];
    const page = await openApp(browser, fixture({ recovery_status: { ok: { checking, resolved: [] } } }));
    await expect(page.getByTestId("recovery-checking").textContent()).resolves.toBe("Checking 2 payments with bKash…");
    await page.screenshot({ path: join(screenshotDir, "recovery-checking.png") });
    await emit(page, "recovery", { checking: [checking[1]], resolved: [{ ...checking[0], state: "completed", trxID: "CCINVILS7R" }] });
    await expect(page.getByTestId("recovery-checking").textContent()).resolves.toBe("Checking 1 payment with bKash…");
    await expect(page.getByTestId("recovery-entry-resolved").textContent()).resolves.toBe("৳730.00 (invoice C1-20261125090000-AAAA0003, sale S-3): paid, trxID CCINVILS7R");
    await emit(page, "recovery", { checking: [], resolved: [{ ...checking[1], state: "not_charged" }, { ...checking[0], state: "completed", trxID: "CCINVILS7R" }] });
    await expect.poll(() => page.getByTestId("recovery-checking").count()).toBe(0);
    await expect(page.getByTestId("recovery-entry-resolved").first().textContent()).resolves.toBe("৳50.00 (invoice C1-20261125090000-AAAA0004, sale S-4): not charged");
    await page.close();
  });
});

describe("the recovery banner with many payments", () => {
  it("stays a summary line that opens into a bounded list, so twenty payments never push the counter off a 768 px screen", async () => {
    const resolved = Array.from({ length: 20 }, (_, i) => ({
      id: 100 + i,
      orderId: `S-${100 + i}`,
      invoice: `C1-20261125090000-B${String(100 + i).padStart(7, "0")}`,
      amountPoisha: 10000 + i,
      state: i % 4 === 0 ? "not_charged" : "completed",
      trxID: i % 4 === 0 ? null : `TRX${String(i).padStart(7, "0")}`,
    }));
    const checking = [{ id: 99, orderId: "S-99", invoice: "C1-20261125090000-AAAA0099", amountPoisha: 5000, state: "unknown", trxID: null }];
    const page = await openApp(browser, fixture({ recovery_status: { ok: { checking, resolved } } }));
    const banner = page.getByTestId("recovery-banner");
    await expect(page.getByTestId("recovery-summary").textContent()).resolves.toContain("20 checked with bKash: 15 paid, 5 not charged");
    await expect(page.getByTestId("recovery-entry-resolved").count()).resolves.toBe(0);
    const folded = (await banner.boundingBox())!.height;
    expect(folded).toBeLessThan(80);
    await page.getByTestId("recovery-toggle").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByTestId("recovery-entry-resolved").count()).toBe(20);
    const opened = (await banner.boundingBox())!.height;
    expect(opened).toBeLessThan(768 / 4);
    const item = (await page.getByTestId("item-name").boundingBox())!;
    expect(item.y + item.height).toBeLessThan(768);
    await page.screenshot({ path: join(screenshotDir, "recovery-twenty-opened.png") });
    await page.close();
  });
});

describe("bKash's sign-in state", () => {
  it("says until when bKash payments are paused when the hourly token budget is spent", async () => {
    const status = { callsInLastHour: 2, budgetPerHour: 2, pausedUntil: "2026-11-25T04:42:00Z", pausedBecause: "token_budget", tokenRejected: false };
    const page = await openApp(browser, fixture({ bkash_status: { ok: status } }));
    const banner = page.getByTestId("bkash-paused");
    await expect(banner.textContent()).resolves.toContain("paused until 10:42");
    await expect(banner.textContent()).resolves.toContain("2 sign-ins an hour");
    await page.getByTestId("language").selectOption("bn");
    await expect.poll(() => banner.textContent()).toContain("10:42 পর্যন্ত বিকাশ পেমেন্ট বন্ধ");
    await page.getByTestId("bengali-digits").check();
    await expect.poll(() => banner.textContent()).toContain("১০:৪২ পর্যন্ত");
    await page.screenshot({ path: join(screenshotDir, "bkash-paused.png") });
    await page.close();
  });

  it("tells the manager the credentials are wrong when bKash refuses the token it just issued", async () => {
    const status = { callsInLastHour: 1, budgetPerHour: 2, pausedUntil: null, pausedBecause: null, tokenRejected: true };
    const page = await openApp(browser, fixture({ bkash_status: { ok: status } }));
    await expect(page.getByTestId("bkash-token-rejected").textContent()).resolves.toContain("check the bKash credentials");
    await page.close();
  });
});

describe("settings", () => {
  const SETTINGS = {
    settings: { shopName: "Rahim Store", counterId: "C1", environment: "training", product: "checkout", callbackUrl: null, payAt: "counter", phoneTimeoutSecs: 180, customerDisplay: false, trainingPhoneAccess: false, printer: "none", cupsPrinter: null, escposAddress: null, paper: "80mm", printAutomatically: true, openDrawer: false, startOnLogin: false, baseUrl: null, scriptUrl: null, timeoutSecs: 30, connectTimeoutSecs: 10 },
    credentials: { stored: false, username: "", appKey: "" },
    secretsKeptIn: "the OS keyring (Secret Service)",
  };

  it("puts each refusal on its field and saves nothing", async () => {
    const problems = [
      { field: "counterId", message: "Use 1–10 letters or digits (it goes into every invoice number)." },
      { field: "appSecret", message: "Required for Sandbox and Production: bKash gives it to the merchant." },
    ];
    const page = await openApp(browser, fixture({ get_settings: { ok: SETTINGS }, save_settings: { ok: { saved: false, problems, restartNeeded: false } } }));
    await page.getByTestId("tab-settings").click();
    await page.getByTestId("setting-environment-production").check();
    await page.getByTestId("setting-counterId").fill("C 1");
    await page.getByTestId("setting-appSecret").fill("s3cret");
    await page.getByTestId("save-settings").click();
    await expect(page.getByTestId("field-error-counterId").textContent()).resolves.toContain("1–10 letters or digits");
    await expect(page.getByTestId("field-error-appSecret").textContent()).resolves.toContain("Required");
    await expect(page.getByTestId("settings-message").textContent()).resolves.toContain("Nothing was saved");
    const save = (await calls(page)).find((c) => c.cmd === "save_settings");
    expect((save?.args.settings as { environment: string }).environment).toBe("production");
    expect((save?.args.credentials as { appSecret: string }).appSecret).toBe("s3cret");
    await page.screenshot({ path: join(screenshotDir, "settings-field-errors.png") });
    await page.close();
  });

  it("offers Tokenized Checkout with its callback URL in place of bKash's script", async () => {
    const page = await openApp(browser, fixture({ get_settings: { ok: SETTINGS }, save_settings: { ok: { saved: true, problems: [], restartNeeded: true } } }));
    await page.getByTestId("tab-settings").click();
    await page.getByTestId("setting-scriptUrl").waitFor();
    expect(await page.getByTestId("setting-callbackUrl").count()).toBe(0);
    await page.getByTestId("setting-product-tokenized").check();
    expect(await page.getByTestId("setting-scriptUrl").count()).toBe(0);
    await page.getByTestId("setting-callbackUrl").fill("https://rahim-store.example/bkash/callback");
    await page.getByTestId("save-settings").click();
    await expect(page.getByTestId("settings-message").textContent()).resolves.toContain("Restart the app");
    const save = (await calls(page)).find((c) => c.cmd === "save_settings");
    const sent = save?.args.settings as { product: string; callbackUrl: string | null };
    expect([sent.product, sent.callbackUrl]).toEqual(["tokenized", "https://rahim-store.example/bkash/callback"]);
    await page.screenshot({ path: join(screenshotDir, "settings-tokenized.png") });
    await page.close();
  });

  it("lets a Tokenized shop choose the customer's phone, its QR time-out, a customer display and Training's phone access", async () => {
    const page = await openApp(browser, fixture({ get_settings: { ok: SETTINGS }, save_settings: { ok: { saved: true, problems: [], restartNeeded: true } } }));
    await page.getByTestId("tab-settings").click();
    await page.getByTestId("setting-scriptUrl").waitFor();
    expect(await page.getByTestId("setting-payAt-phone").count()).toBe(0);
    await page.getByTestId("setting-product-tokenized").check();
    await page.getByTestId("setting-payAt-phone").check();
    await page.getByTestId("setting-phoneTimeoutSecs").fill("240");
    await page.getByTestId("setting-customerDisplay").check();
    await page.getByTestId("setting-trainingPhoneAccess").check();
    await page.getByTestId("setting-startOnLogin").check();
    await expect(page.getByTestId("settings-screen").textContent()).resolves.toContain("60–300 seconds");
    await page.getByTestId("setting-callbackUrl").fill("https://rahim-store.example/bkash/callback");
    await page.getByTestId("save-settings").click();
    await expect(page.getByTestId("settings-message").textContent()).resolves.toContain("Restart the app");
    const sent = (await calls(page)).find((c) => c.cmd === "save_settings")?.args.settings as Record<string, unknown>;
    expect([sent.payAt, sent.phoneTimeoutSecs, sent.customerDisplay, sent.trainingPhoneAccess, sent.startOnLogin]).toEqual(["phone", 240, true, true, true]);
    await page.screenshot({ path: join(screenshotDir, "settings-phone.png"), fullPage: true });

    // Back to Checkout: the phone is not offered, so the choice falls back to the counter.
    await page.getByTestId("setting-product-checkout").check();
    expect(await page.getByTestId("setting-payAt-phone").count()).toBe(0);
    // Outside Training, phones never reach a practice page.
    await page.getByTestId("setting-product-tokenized").check();
    await page.getByTestId("setting-environment-sandbox").check();
    expect(await page.getByTestId("setting-trainingPhoneAccess").count()).toBe(0);
    await page.getByTestId("save-settings").click();
    const again = (await calls(page)).filter((c) => c.cmd === "save_settings")[1]?.args.settings as Record<string, unknown>;
    expect([again.payAt, again.trainingPhoneAccess]).toEqual(["counter", false]);
    await page.close();
  });

  it("never receives a stored secret and offers a restart after saving", async () => {
    const stored = { ...SETTINGS, settings: { ...SETTINGS.settings, environment: "sandbox" }, credentials: { stored: true, username: "sandboxTestUser", appKey: "5tunt4" } };
    const page = await openApp(browser, fixture({ get_settings: { ok: stored }, save_settings: { ok: { saved: true, problems: [], restartNeeded: true } } }));
    await page.getByTestId("tab-settings").click();
    await expect(page.getByTestId("setting-password").inputValue()).resolves.toBe("");
    await expect(page.getByTestId("setting-appSecret").getAttribute("type")).resolves.toBe("password");
    await page.getByTestId("save-settings").click();
    await expect(page.getByTestId("settings-message").textContent()).resolves.toContain("Restart the app");
    await expect(page.getByTestId("restart-app").isVisible()).resolves.toBe(true);
    await page.close();
  });
});

describe("settings behind the manager PIN", () => {
  it("asks for the PIN before showing or saving settings", async () => {
    const page = await openApp(browser, fixture({ manager_status: { ok: { pinSet: true, unlocked: false } } }));
    await page.getByTestId("tab-settings").click();
    await page.getByTestId("pin-gate").waitFor();
    expect(await page.getByTestId("settings-screen").count()).toBe(0);
    expect((await calls(page)).some((c) => c.cmd === "get_settings")).toBe(false);
    await page.close();
  });
});

describe("a payment of the same amount still being checked", () => {
  it("shows the pending one and takes a new payment only after a deliberate yes", async () => {
    const pending = {
      code: "same_amount_checking",
      message: "A payment of the same amount is still being checked",
      details: { amount: "1250.50", invoice: "C1-20261130080000-PENDING1" },
    };
    const page = await openApp(browser, {
      app_info: { ok: TRAINING_INFO },
      recovery_status: { ok: { checking: [], resolved: [] } },
      pay: { err: pending },
    });
    await page.getByTestId("cashier-screen").waitFor();
    await page.keyboard.type("Rice");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.type("1250.50");
    await page.keyboard.press("Enter");
    await page.keyboard.press("F9");
    const text = await page.getByTestId("pay-error").textContent();
    expect(text).toContain("৳1250.50");
    expect(text).toContain("C1-20261130080000-PENDING1");
    expect(text).toContain("still being checked");
    await page.screenshot({ path: join(screenshotDir, "panel-same-amount-checking.png") });
    // Esc goes back; nothing more was asked.
    await page.keyboard.press("Escape");
    expect(await page.getByTestId("confirm-again").count()).toBe(0);
    await page.keyboard.press("F9");
    await page.getByTestId("pay-anyway").click();
    const pays = (await calls(page)).filter((c) => c.cmd === "pay");
    expect(pays.map((c) => saleSent(c)?.anyway)).toEqual([false, false, true]);
    await page.close();
  });
});

describe("amounts as a new cashier types them", () => {
  it("refuses 12,50 with a clear message, takes Bengali digits, and says when the total is over the limit", async () => {
    const page = await openApp(browser, { app_info: { ok: TRAINING_INFO }, recovery_status: { ok: { checking: [], resolved: [] } } });
    await page.getByTestId("cashier-screen").waitFor();
    const addLine = async (name: string, qty: string, price: string) => {
      await page.getByTestId("item-name").fill(name);
      await page.getByTestId("item-qty").fill(qty);
      await page.getByTestId("item-price").fill(price);
      await page.keyboard.press("Enter");
    };
    await addLine("Tea", "1", "12,50");
    await expect(page.getByTestId("line-error").textContent()).resolves.toContain("Use a dot for poisha (12.50)");
    expect(await page.locator("[data-testid=order-lines] tbody tr").count()).toBe(0);
    await addLine("Rice", "২", "৯,৯৯,৯৯৯");
    await expect(page.getByTestId("order-total").textContent()).resolves.toContain("19,99,998.00");
    await expect(page.getByTestId("pay-hint").textContent()).resolves.toContain("over ৳10,00,000.00");
    await expect(page.getByTestId("pay-bkash").isDisabled()).resolves.toBe(true);
    await page.close();
  });
});

describe("a pasted item name", () => {
  it("is capped and keeps its row one or two lines tall", async () => {
    const page = await openApp(browser, { app_info: { ok: TRAINING_INFO }, recovery_status: { ok: { checking: [], resolved: [] } } });
    await page.getByTestId("cashier-screen").waitFor();
    await page.getByTestId("item-name").fill("x".repeat(10_000));
    await page.getByTestId("item-price").fill("10");
    await page.keyboard.press("Enter");
    const row = page.locator("[data-testid=order-lines] tbody tr").first();
    await expect(row.locator("td").first().textContent()).resolves.toHaveLength(80);
    expect((await row.boundingBox())!.height).toBeLessThan(80);
    await page.close();
  });
});
