// Paying on the customer's phone (Tokenized): the choice of place from the
// keyboard, the QR panel while the counter waits, and the customer display,
// in Chromium with the core's answers and events mocked. (The E2E tier reads
// a real QR code off the real app's screen and pays on a phone-sized page.)
import { join } from "node:path";
import { mkdirSync } from "node:fs";
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
  id: 9,
  orderId: "S-1",
  invoice: "C1-20261130090000-QRPHONE1",
  state: "awaiting_customer",
  amountPoisha: 45000,
  paymentID: "TR0011QR1",
  trxID: null,
  maskedWallet: null,
  reason: null,
  bkashMessage: null,
  counterId: "C1",
  payAt: "phone",
  statusPolls: 0,
  createdAt: "2026-11-30T09:00:00Z",
  settledAt: null,
};
// A finder pattern's worth of modules: enough to see the code is drawn.
const QR = { size: 29, path: "M4 4h7v1h-7zM4 10h7v1h-7zM4 5h1v5h-1zM10 5h1v5h-1zM6 6h3v3h-3z" };
const PHONE = { payment: VIEW, url: "http://127.0.0.1:1/tokenized/pay/TR0011QR1", qr: QR, amount: "450.00", timeoutSecs: 180 };
const TOKENIZED = { ...TRAINING_INFO, product: "tokenized", payAt: "phone" };

function fixture(info: object, extra: IpcFixture = {}): IpcFixture {
  return {
    app_info: { ok: info },
    recovery_status: { ok: { checking: [], resolved: [] } },
    pay_on_phone: { ok: PHONE },
    phone_qr_shown: { ok: null },
    pay: { ok: { ...VIEW, payAt: "counter", paymentID: null, state: "new" } },
    cancel_payment: { ok: { ...VIEW, state: "cancelled", reason: { kind: "cancelled" } } },
    ...extra,
  };
}

async function ringUp(page: Page): Promise<void> {
  await page.getByTestId("cashier-screen").waitFor();
  await page.keyboard.type("Tea");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await page.keyboard.type("450");
  await page.keyboard.press("Enter");
}

const panelState = (page: Page) => page.getByTestId("pay-panel").getAttribute("data-state");

describe("paying on the customer's phone", () => {
  it("F9 shows a large QR code of bKash's page with the amount and invoice, and the outcome replaces it", async () => {
    const page = await openApp(browser, fixture(TOKENIZED));
    await ringUp(page);
    await page.keyboard.press("F9");
    await page.getByTestId("phone-qr").waitFor();
    const call = (await calls(page)).find((c) => c.cmd === "pay_on_phone");
    expect((saleSent(call)?.lines ?? []).reduce((sum, l) => sum + l.unitPoisha, 0)).toBe(45000);
    expect((await calls(page)).some((c) => c.cmd === "pay")).toBe(false);
    await expect.poll(async () => (await calls(page)).find((c) => c.cmd === "phone_qr_shown")?.args.payment).toBe(VIEW.id);
    await expect(page.getByTestId("phone-qr-code").getAttribute("viewBox")).resolves.toBe("0 0 29 29");
    await expect(page.locator("[data-testid=phone-qr-code] path").getAttribute("d")).resolves.toBe(QR.path);
    const box = await page.getByTestId("phone-qr-code").boundingBox();
    expect(box?.width ?? 0).toBeGreaterThanOrEqual(240);
    await expect(page.getByTestId("phone-qr-amount").textContent()).resolves.toContain("450.00");
    await expect(page.getByTestId("phone-qr").textContent()).resolves.toContain(VIEW.invoice);
    await expect(page.getByTestId("payment-status-title").textContent()).resolves.toContain("pay on their phone");
    await expect(page.getByTestId("phone-qr-left").textContent()).resolves.toMatch(/[23]:\d\d/);
    await page.screenshot({ path: join(screenshotDir, "phone-qr-waiting.png") });

    await emit(page, "payment", { ...VIEW, state: "executing" });
    await expect.poll(() => panelState(page)).toBe("executing");
    expect(await page.getByTestId("phone-qr").count()).toBe(0);
    await emit(page, "payment", { ...VIEW, state: "completed", trxID: "BKQR000001", maskedWallet: "017XXXXX575", statusPolls: 6 });
    await page.getByTestId("receipt").waitFor();
    await expect(page.getByTestId("receipt-trxid").textContent()).resolves.toBe("BKQR000001");
    await page.close();
  });

  it("Esc cancels: the QR code disappears and the sale may be paid again", async () => {
    const page = await openApp(browser, fixture(TOKENIZED));
    await ringUp(page);
    await page.keyboard.press("F9");
    await page.getByTestId("phone-qr").waitFor();
    await page.keyboard.press("Escape");
    await expect.poll(() => panelState(page)).toBe("cancelled");
    expect(await page.getByTestId("phone-qr").count()).toBe(0);
    expect((await calls(page)).filter((c) => c.cmd === "cancel_payment")).toHaveLength(1);
    await expect(page.getByTestId("pay-phone").isEnabled()).resolves.toBe(true);
    await page.close();
  });

  it("the QR code's time-out says the customer did not finish and nothing was charged", async () => {
    const page = await openApp(browser, fixture(TOKENIZED));
    await ringUp(page);
    await page.keyboard.press("F9");
    await page.getByTestId("phone-qr").waitFor();
    await emit(page, "payment", { ...VIEW, state: "cancelled", reason: { kind: "cause", code: "phone_timed_out" }, statusPolls: 37 });
    await expect.poll(() => panelState(page)).toBe("cancelled");
    await expect(page.getByTestId("payment-reason").textContent()).resolves.toContain("did not finish on their phone");
    await page.close();
  });

  it("F8 is the other place: the counter's bKash window when the shop's default is the phone", async () => {
    const page = await openApp(browser, fixture(TOKENIZED));
    await ringUp(page);
    const buttons = await page.locator(".pay-button:not(.pay-cash)").allTextContents();
    expect(buttons).toEqual(["Customer pays on phone, QR (F9)", "Pay with bKash here (F8)"]);
    await expect(page.getByTestId("pay-cash").textContent()).resolves.toBe("Cash (F10)");
    await page.keyboard.press("F8");
    await expect.poll(async () => (await calls(page)).some((c) => c.cmd === "pay")).toBe(true);
    expect((await calls(page)).some((c) => c.cmd === "pay_on_phone")).toBe(false);
    await page.close();
  });

  it("a Checkout (iFrame) shop is offered only the counter, and is told why", async () => {
    const page = await openApp(browser, fixture(TRAINING_INFO));
    await ringUp(page);
    expect(await page.getByTestId("pay-phone").count()).toBe(0);
    await expect(page.getByTestId("phone-not-offered").textContent()).resolves.toContain("needs bKash Tokenized Checkout");
    await page.keyboard.press("F8");
    await page.waitForTimeout(200);
    expect((await calls(page)).some((c) => c.cmd === "pay_on_phone" || c.cmd === "pay")).toBe(false);
    await page.close();
  });

  it("the training banner names the address phones on the shop's Wi-Fi can reach, without its secret token", async () => {
    const page = await openApp(browser, fixture({ ...TOKENIZED, trainingPhoneAddress: "http://192.168.1.20:41234/p/SECRETTOKEN" }));
    const text = await page.getByTestId("training-phones").textContent();
    expect(text).toContain("http://192.168.1.20:41234");
    expect(text).not.toContain("SECRETTOKEN");
    await page.close();
  });

  it("the customer display shows the QR code and the total, then the outcome, then greets the next customer", async () => {
    const page = await openApp(browser, { customer_display: { ok: { kind: "welcome", shopName: "Rahim Store" } } }, { width: 800, height: 600 }, "/customer.html");
    await expect(page.getByTestId("display-welcome").textContent()).resolves.toContain("Rahim Store");
    await emit(page, "customer-screen", { kind: "scan", qr: QR, amount: "450.00", invoice: VIEW.invoice });
    await page.getByTestId("display-scan").waitFor();
    await expect(page.getByTestId("display-amount").textContent()).resolves.toContain("450.00");
    await page.screenshot({ path: join(screenshotDir, "customer-display-scan.png") });
    await emit(page, "customer-screen", { kind: "paid", amount: "450.00", trxID: "BKQR000001" });
    await page.getByTestId("display-paid").waitFor();
    expect((await calls(page)).map((c) => c.cmd).filter((c) => !c.startsWith("plugin:event"))).toEqual(["customer_display"]);
    await page.close();
  });
});
