// A merchant page written for bKash's checkout.js, run in headless Chromium
// against the real bkash-sim binary: the button click, the frame's wallet /
// OTP / PIN steps from the keyboard, execute, and the simulator's ledger.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Frame, Page } from "playwright-core";
import { launchBrowser, screenshotDir } from "./harness";
import { startMerchant, startSim, type Sim } from "./sim-harness";

let browser: Browser;
let sim: Sim;
let merchant: { origin: string; server: Server };

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  sim = await startSim();
  merchant = await startMerchant(sim);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  merchant?.server.close();
  sim?.stop();
});

async function openFrame(page: Page): Promise<Frame> {
  await page.goto(merchant.origin);
  await page.click("#bKash_button");
  const handle = await page.waitForSelector("#bKashFrame[src*='/frame/checkout/']");
  const frame = (await handle.contentFrame())!;
  await frame.waitForSelector("body[data-ready=true]");
  return frame;
}

/** The customer's three steps with the mouse: wallet + terms, OTP, PIN. */
async function payInFrame(frame: Frame, wallet: string): Promise<void> {
  await frame.fill("#wallet", wallet);
  await frame.check("#terms");
  await frame.click("#proceed");
  await frame.fill("#otp", "123456");
  await frame.click("#proceed");
  await frame.fill("#pin", "12121");
  await frame.click("#proceed");
}

describe("bKash checkout.js and frame, simulated", () => {
  it("takes a payment from button click to execute, all from the keyboard", async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    const frame = await openFrame(page);
    expect(await frame.textContent("#amount")).toBe("৳85.50");
    expect(await frame.textContent("footer")).toContain("16247");
    expect(await frame.textContent("#hint")).toContain("01770618575");
    await page.screenshot({ path: join(screenshotDir, "sim-frame-wallet.png") });

    await frame.locator("#wallet").focus();
    await page.keyboard.type("01770618575");
    await page.keyboard.press("Enter");
    expect(await frame.textContent("#error")).toContain("terms and conditions");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Space");
    await page.keyboard.press("Enter");
    await frame.waitForSelector("#otp:focus");
    await page.keyboard.type("123456");
    await page.keyboard.press("Enter");
    await frame.waitForSelector("#pin:focus");
    expect(await frame.textContent("#proceed")).toBe("CONFIRM");
    await page.screenshot({ path: join(screenshotDir, "sim-frame-pin.png") });
    await page.keyboard.type("12121");
    await page.keyboard.press("Enter");

    await page.waitForFunction(() => /^Completed [A-Z0-9]{10}$/.test(document.getElementById("result")!.textContent ?? ""));
    const trx = (await page.textContent("#result"))!.split(" ")[1];
    const ledger = await sim.ledger();
    const entry = ledger.payments.find((p) => p.trxID === trx);
    expect(entry).toMatchObject({ transactionStatus: "Completed", amount: "85.50", customerMsisdn: "01770618575" });
    await page.close();
  });

  it("tells the merchant through onClose when the customer closes the frame, and charges nothing", async () => {
    const page = await browser.newPage();
    const frame = await openFrame(page);
    await frame.click("#close");
    // The safe answer has focus, so a stray Enter does not cancel the payment.
    await frame.waitForSelector("#no_button:focus");
    await page.screenshot({ path: join(screenshotDir, "sim-frame-close-confirm.png") });
    await frame.click("#yes_button");
    await page.waitForFunction(() => document.getElementById("result")!.textContent === "closed by customer");
    expect(await page.locator("#bKashFrameWrapper").count()).toBe(0);
    const last = (await sim.ledger()).payments.at(-1)!;
    expect(last).toMatchObject({ transactionStatus: "Initiated", customerStep: "ended", trxID: null });
    await page.close();
  });

  it("shows bKash's reason when the wallet has too little balance", async () => {
    const page = await browser.newPage();
    const frame = await openFrame(page);
    await payInFrame(frame, "01823074817");
    await page.waitForFunction(() => document.getElementById("result")!.textContent === "failed 2023");
    const last = (await sim.ledger()).payments.at(-1)!;
    expect(last).toMatchObject({ transactionStatus: "Initiated", executeError: "2023", trxID: null });
    await page.close();
  });

  it("runs a tokenized payment through bkashURL and back to the merchant's callback", async () => {
    const created = (await (await fetch(`${merchant.origin}/tokenized-create`)).json()) as { bkashURL: string; paymentID: string };
    const page = await browser.newPage();
    await page.goto(created.bkashURL);
    await page.waitForSelector("body[data-ready=true]");
    await payInFrame(page.mainFrame(), "01929918378");
    await page.waitForURL(/\/callback\?paymentID=.*&status=success&signature=/);
    expect(await page.textContent("#callback")).toMatch(/^success Completed [A-Z0-9]{10}$/);
    const entry = (await sim.ledger()).payments.find((p) => p.paymentID === created.paymentID);
    expect(entry).toMatchObject({ transactionStatus: "Completed", family: "tokenized", amount: "250" });
    await page.close();
  });
});
