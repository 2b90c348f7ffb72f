// The manager's view in Chromium with the core mocked: the PIN gate, the day
// list with filter, search and pages, totals and chart, details and refund.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { calls, launchBrowser, openApp, screenshotDir, TRAINING_INFO, type IpcFixture } from "./harness";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(screenshotDir, { recursive: true });
});
afterAll(async () => browser?.close());

const tally = (count: number, amountPoisha: number) => ({ count, amountPoisha });
const row = (id: number, state: string, amountPoisha: number, trxID: string | null) => ({
  id,
  orderId: `S-${id}`,
  invoice: `C1-20261125090000-${String(id).padStart(8, "0")}`,
  state,
  amountPoisha,
  paymentID: `TR${id}`,
  trxID,
  maskedWallet: trxID ? "017XXXXX575" : null,
  reason: null,
  counterId: "C1",
  createdAt: "2026-11-25T09:00:00Z",
  settledAt: null,
});
const DAY = {
  summary: {
    day: "2026-11-25",
    completed: tally(2, 75000),
    failed: tally(1, 9900),
    cancelled: tally(0, 0),
    checking: tally(1, 48000),
    inProgress: tally(0, 0),
    refunded: tally(1, 12050),
    netPoisha: 62950,
  },
  rows: [row(4, "unknown", 48000, null), row(3, "failed", 9900, null), row(2, "completed", 25000, "BFP9A7QX2L"), row(1, "completed", 50000, "CCINVILS7R")],
  total: 120,
  page: 0,
  pageSize: 50,
  hourlyPoisha: Array.from({ length: 24 }, (_, h) => (h === 15 ? 75000 : 0)),
};
const HISTORY = {
  payment: row(1, "completed", 50000, "CCINVILS7R"),
  events: [
    { at: "2026-11-25T09:00:00Z", kind: "started", fromState: null, toState: "new", bkashCode: null, bkashMessage: null, detail: "amount 50000 poisha" },
    { at: "2026-11-25T09:00:09Z", kind: "transition", fromState: "executing", toState: "completed", bkashCode: null, bkashMessage: null, detail: null },
  ],
  refunds: [],
  refundablePoisha: 50000,
};

function fixture(extra: IpcFixture = {}): IpcFixture {
  return {
    app_info: { ok: TRAINING_INFO },
    recovery_status: { ok: { checking: [], resolved: [] } },
    manager_status: { ok: { pinSet: true, unlocked: true } },
    day_view: { ok: DAY },
    payment_history: { ok: HISTORY },
    ...extra,
  };
}

async function openManager(page: Page): Promise<void> {
  await page.getByTestId("tab-manager").click();
}

describe("the manager's view", () => {
  it("asks for a new PIN twice on first use, and names a wrong PIN and a lockout", async () => {
    const first = await openApp(browser, fixture({ manager_status: { ok: { pinSet: false, unlocked: false } }, manager_set_pin: { ok: { pinSet: true, unlocked: true } } }));
    await openManager(first);
    await first.getByTestId("pin-input").fill("4831");
    await first.getByTestId("pin-again").fill("4832");
    await first.getByTestId("pin-submit").click();
    await expect(first.getByTestId("pin-message").textContent()).resolves.toBe("The two PINs differ.");
    await first.getByTestId("pin-input").fill("4831");
    await first.getByTestId("pin-again").fill("4831");
    await first.getByTestId("pin-submit").click();
    await first.getByTestId("manager-day").waitFor();
    expect((await calls(first)).find((c) => c.cmd === "manager_set_pin")?.args).toEqual({ pin: "4831" });
    await first.close();

    const locked = await openApp(
      browser,
      fixture({
        manager_status: { ok: { pinSet: true, unlocked: false } },
        manager_unlock: { err: { code: "pin_locked", message: "Too many wrong PINs. Try again after 2026-11-25 15:04:30 (Bangladesh time).", details: { until: "2026-11-25 15:04:30" } } },
      }),
    );
    await openManager(locked);
    await locked.getByTestId("pin-input").fill("0000");
    await locked.keyboard.press("Enter");
    await expect(locked.getByTestId("pin-message").textContent()).resolves.toContain("Too many wrong PINs");
    await expect(locked.getByTestId("pin-input").inputValue()).resolves.toBe("");
    await locked.screenshot({ path: join(screenshotDir, "manager-pin-locked.png") });
    await locked.close();
  });

  it("shows the day's totals with refunds and net, the hourly chart and the list", async () => {
    const page = await openApp(browser, fixture());
    await openManager(page);
    await expect(page.getByTestId("total-completed").textContent()).resolves.toContain("৳750.00");
    await expect(page.getByTestId("total-refunded").textContent()).resolves.toContain("৳120.50");
    await expect(page.getByTestId("total-net").textContent()).resolves.toContain("৳629.50");
    await expect(page.getByTestId("total-checking").textContent()).resolves.toContain("(1)");
    expect(await page.locator("[data-testid=hourly-chart] canvas").count()).toBeGreaterThan(0);
    expect(await page.getByTestId("day-row").count()).toBe(4);
    await expect(page.getByTestId("page-info").textContent()).resolves.toBe("1–50 of 120");
    await page.screenshot({ path: join(screenshotDir, "manager-day.png") });
    await page.close();
  });

  it("sends the filter, the search and the page to the core", async () => {
    const page = await openApp(browser, fixture());
    await openManager(page);
    await page.getByTestId("day-list").waitFor();
    await page.getByTestId("day-state").selectOption("completed");
    await page.getByTestId("day-search").fill("575");
    await expect
      .poll(async () => (await calls(page)).filter((c) => c.cmd === "day_view").at(-1)?.args.query)
      .toMatchObject({ state: "completed", search: "575", page: 0 });
    await page.getByTestId("page-next").click();
    await expect.poll(async () => ((await calls(page)).filter((c) => c.cmd === "day_view").at(-1)?.args.query as { page: number }).page).toBe(1);
    await page.close();
  });

  it("shows a payment's history and refunds part of it in poisha", async () => {
    const page = await openApp(
      browser,
      fixture({ refund_payment: { ok: { id: 9, amountPoisha: 12050, sku: "rice", reason: "one bag back", state: "completed", refundTrxID: "RFD1234567", bkashCode: null } } }),
    );
    await openManager(page);
    await page.getByTestId("day-row-open").last().click();
    await expect(page.getByTestId("payment-events").textContent()).resolves.toContain("executing → completed");
    // Worded from the catalogs, not the journal's names or its English detail.
    const started = page.getByTestId("payment-events").locator("li").first();
    await expect(started.textContent()).resolves.toContain("Started: ৳500.00, invoice");
    await expect(page.getByTestId("payment-events").textContent()).resolves.not.toMatch(/poisha|started|transition/);
    await page.getByTestId("refund-amount").fill("120.50");
    await page.getByTestId("refund-sku").fill("rice");
    await page.getByTestId("refund-reason").fill("one bag back");
    await page.getByTestId("refund-submit").click();
    await expect(page.getByTestId("details-message").textContent()).resolves.toContain("refund trxID RFD1234567");
    expect((await calls(page)).find((c) => c.cmd === "refund_payment")?.args.request).toEqual({ id: 1, amountPoisha: 12050, sku: "rice", reason: "one bag back" });
    await page.screenshot({ path: join(screenshotDir, "manager-refund.png") });
    await page.close();
  });

  it("changes the PIN with the current one, and names a wrong current PIN", async () => {
    const page = await openApp(browser, fixture({ manager_change_pin: { err: { code: "pin_wrong", message: "Wrong PIN. 4 tries left before it locks.", details: { left: "4" } } } }));
    await openManager(page);
    await page.getByTestId("manager-change-pin").click();
    await page.getByTestId("pin-current").fill("1111");
    await page.getByTestId("pin-new").fill("2468");
    await page.getByTestId("pin-change-submit").click();
    await expect(page.getByTestId("pin-change-message").textContent()).resolves.toBe("Wrong PIN. 4 tries left before it locks.");
    expect((await calls(page)).find((c) => c.cmd === "manager_change_pin")?.args).toEqual({ current: "1111", new: "2468" });
    await page.close();
  });

  it("asks Refund Status about a refund bKash did not answer", async () => {
    const unanswered = { id: 9, amountPoisha: 12050, sku: "rice", reason: "one bag back", state: "unknown", refundTrxID: null, bkashCode: null };
    const page = await openApp(
      browser,
      fixture({
        payment_history: { ok: { ...HISTORY, refunds: [unanswered], refundablePoisha: 37950 } },
        check_refund: { ok: { ...unanswered, state: "completed", refundTrxID: "RFD7654321" } },
      }),
    );
    await openManager(page);
    await page.getByTestId("day-row-open").last().click();
    await expect(page.getByTestId("refund-entry").getAttribute("data-state")).resolves.toBe("unknown");
    await page.getByTestId("check-refund").click();
    await expect(page.getByTestId("details-message").textContent()).resolves.toContain("refund trxID RFD7654321");
    expect((await calls(page)).find((c) => c.cmd === "check_refund")?.args).toEqual({ payment: 1, refund: 9 });
    await page.close();
  });

  it("goes back to the PIN gate when the session has closed", async () => {
    const page = await openApp(browser, fixture({ day_view: { err: { code: "manager_locked", message: "Enter the manager PIN first.", details: {} } } }));
    await openManager(page);
    await page.getByTestId("pin-gate").waitFor();
    await page.close();
  });
});
