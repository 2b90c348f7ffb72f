// A counter in a store of several (PostgreSQL), in Chromium with the core
// mocked: the sync banner, the manager's whole-store day with who is behind,
// a refund of another counter's payment, and the store's database settings.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { calls, launchBrowser, openApp, screenshotDir, TRAINING_INFO, type IpcFixture } from "./harness";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(screenshotDir, { recursive: true });
});
afterAll(async () => browser?.close());

const STORE_INFO = { ...TRAINING_INFO, counterId: "c1", storeId: "dhanmondi" };
const tally = (count: number, amountPoisha: number) => ({ count, amountPoisha });
const IN_SYNC = { pending: 0, offlineSince: null, lastSentAt: "2026-11-25T09:00:00Z", problem: null, refused: false };
const view = (id: number, counter: string, amountPoisha: number, trxID: string) => ({
  id,
  orderId: `S-${id}`,
  invoice: `${counter}-20261125090000-${String(id).padStart(8, "0")}`,
  state: "completed",
  amountPoisha,
  paymentID: `TR${counter}${id}`,
  trxID,
  maskedWallet: "017XXXXX575",
  reason: null,
  bkashMessage: null,
  counterId: counter,
  payAt: "counter",
  statusPolls: 0,
  createdAt: "2026-11-25T09:00:00Z",
  settledAt: "2026-11-25T09:00:09Z",
});
const group = (name: string, bkash: number, cash: number, refunded: number) => ({ name, bkash: tally(1, bkash), cash: tally(cash ? 1 : 0, cash), refunded: tally(refunded ? 1 : 0, refunded) });
const STORE_DAY = {
  summary: {
    day: "2026-11-25",
    completed: tally(2, 57000),
    failed: tally(0, 0),
    cancelled: tally(0, 0),
    checking: tally(0, 0),
    inProgress: tally(0, 0),
    refunded: tally(1, 10000),
    cash: tally(1, 20000),
    netPoisha: 67000,
  },
  byCounter: [group("c1", 42000, 20000, 10000), group("c2", 15000, 0, 0)],
  byCashier: [group("rina", 57000, 20000, 10000)],
  hourlyPoisha: Array.from({ length: 24 }, (_, h) => (h === 15 ? 57000 : 0)),
  rows: [
    { counter: "c2", cashier: "rina", payment: view(7, "c2", 15000, "CC2TRX0007") },
    { counter: "c1", cashier: "rina", payment: view(3, "c1", 42000, "CC1TRX0003") },
  ],
  total: 2,
  page: 0,
  pageSize: 50,
  counters: [
    { counter: "c1", behind: 0, lastContact: "2026-11-25T09:01:00Z", silent: false },
    { counter: "c2", behind: 12, lastContact: "2026-11-25T04:42:00Z", silent: true },
  ],
  shifts: [
    {
      counter: "c1", shift: 3, openedBy: "Sumi", openedAt: "2026-11-25T03:00:00Z", closedAt: "2026-11-25T11:00:00Z", closedBy: "Sumi",
      zNumber: 2, floatPoisha: 150000, cash: tally(1, 20000), bkash: tally(1, 42000), expectedPoisha: 170000, countedPoisha: 168000,
      differencePoisha: -2000, movements: 1,
    },
    {
      counter: "c2", shift: 1, openedBy: "Babul", openedAt: "2026-11-25T04:00:00Z", closedAt: null, closedBy: null, zNumber: null,
      floatPoisha: 100000, cash: null, bkash: null, expectedPoisha: null, countedPoisha: null, differencePoisha: null, movements: 0,
    },
  ],
};
const HISTORY = {
  counter: "c2",
  payment: view(7, "c2", 15000, "CC2TRX0007"),
  events: [{ at: "2026-11-25T09:00:09Z", kind: "transition", fromState: "executing", toState: "completed", bkashCode: null, bkashMessage: null, detail: null }],
  refunds: [],
  refundablePoisha: 15000,
  actions: [],
};
const UNKNOWN_AT_C2 = { ...view(8, "c2", 31000, null as unknown as string), state: "unknown", trxID: null, settledAt: null };
const UNKNOWN_HISTORY = {
  counter: "c2",
  payment: UNKNOWN_AT_C2,
  events: [{ at: "2026-11-25T09:10:09Z", kind: "transition", fromState: "executing", toState: "unknown", bkashCode: null, bkashMessage: null, detail: "execute: no answer" }],
  refunds: [],
  refundablePoisha: 0,
  actions: [{ actingCounter: "c3", kind: "check", outcome: "no_verdict", detail: "query: timed out", at: "2026-11-25T09:11:00Z", carriedOut: null }],
};

function fixture(extra: IpcFixture = {}): IpcFixture {
  return {
    app_info: { ok: STORE_INFO },
    recovery_status: { ok: { checking: [], resolved: [] } },
    manager_status: { ok: { pinSet: true, unlocked: true } },
    store_sync_status: { ok: IN_SYNC },
    day_view: { ok: { summary: STORE_DAY.summary, rows: [], total: 0, page: 0, pageSize: 50, hourlyPoisha: STORE_DAY.hourlyPoisha, till: null } },
    store_day: { ok: STORE_DAY },
    store_payment_history: { ok: HISTORY },
    ...extra,
  };
}

describe("a counter in a store", () => {
  it("shows the manager the whole store: every counter's totals, who is behind, and any payment", async () => {
    const refunded = { id: 1, amountPoisha: 5000, sku: "TEA", reason: "torn pack", state: "completed", refundTrxID: "RF0001", bkashCode: null };
    const page = await openApp(browser, fixture({ store_refund: { ok: refunded } }));
    await page.getByTestId("tab-manager").click();
    await page.getByTestId("store-day").waitFor();
    await expect(page.getByTestId("store-total-net").textContent()).resolves.toContain("670.00");
    const c2 = page.locator('[data-testid="store-counter"][data-counter="c2"]');
    await expect(c2.textContent()).resolves.toContain("12 changes behind");
    await expect(page.locator('[data-testid="store-by-counter"] [data-name="c2"]').textContent()).resolves.toContain("150.00");
    expect(await page.getByTestId("store-row").count()).toBe(2);
    // Every counter's shifts: c1's closed ৳20 short, c2's still open.
    await expect(page.locator('[data-testid="store-shift"][data-counter="c1"] [data-testid="store-shift-difference"]').textContent()).resolves.toBe("−৳20.00");
    await expect(page.locator('[data-testid="store-shift"][data-counter="c2"]').getAttribute("data-open")).resolves.toBe("true");
    await expect(page.locator('[data-testid="store-shift"][data-counter="c2"]').textContent()).resolves.toContain("Opened by Babul");

    // Counter 2's payment, refunded from counter 1.
    await page.locator('[data-testid="store-row"][data-counter="c2"]').getByTestId("store-row-open").click();
    await expect(page.getByTestId("store-details").textContent()).resolves.toContain("counter c2");
    await page.getByTestId("store-refund-amount").fill("50");
    await page.getByTestId("store-refund-sku").fill("TEA");
    await page.getByTestId("store-refund-reason").fill("torn pack");
    await page.screenshot({ path: join(screenshotDir, "store-day.png"), fullPage: true });
    await page.getByTestId("store-refund-submit").click();
    await expect(page.getByTestId("store-details-message").textContent()).resolves.toContain("RF0001");
    const sent = (await calls(page)).find((c) => c.cmd === "store_refund")?.args.request;
    expect(sent).toEqual({ counter: "c2", id: 7, amountPoisha: 5000, sku: "TEA", reason: "torn pack" });
    await page.close();
  });

  it("checks and resolves another counter's unknown payment and says that counter records bKash's answer", async () => {
    const day = { ...STORE_DAY, rows: [{ counter: "c2", cashier: "rina", payment: UNKNOWN_AT_C2 }, ...STORE_DAY.rows], total: 3 };
    const page = await openApp(
      browser,
      fixture({
        store_day: { ok: day },
        store_payment_history: { ok: UNKNOWN_HISTORY },
        store_check_payment: { ok: { counter: "c2", id: 8, outcome: "completed", trxID: "CC2TRX0008", elsewhere: true } },
        store_resolve_payment: {
          err: { code: "invalid", message: "The trxID is already the trxID of payment 3 at counter c1.", details: { field: "trxID", problem: "is already the trxID of payment 3 at counter c1" } },
        },
      }),
    );
    await page.getByTestId("tab-manager").click();
    await page.locator('[data-testid="store-row"][data-counter="c2"]').first().getByTestId("store-row-open").click();
    // An earlier check from counter 3 that counter 2 has not carried out yet.
    const earlier = page.getByTestId("store-action-entry");
    await expect(earlier.textContent()).resolves.toContain("Checked at counter c3: no answer from bKash");
    await expect(earlier.textContent()).resolves.toContain("counter c2 has not heard of it yet");
    await expect(page.getByTestId("store-refund-form").count()).resolves.toBe(0);

    await page.getByTestId("store-check-now").click();
    await expect(page.getByTestId("store-details-message").textContent()).resolves.toBe(
      "bKash says this payment went through (trxID CC2TRX0008). Counter c2 records it as soon as it hears of it from the store.",
    );
    await page.getByTestId("store-resolve-trx").fill("cc1trx0003");
    await page.getByTestId("store-resolve-reason").fill("customer showed the SMS");
    await page.screenshot({ path: join(screenshotDir, "store-check.png"), fullPage: true });
    await page.getByTestId("store-resolve-submit").click();
    await expect(page.getByTestId("store-details-message").textContent()).resolves.toContain("already the trxID of payment 3 at counter c1");
    const sent = await calls(page);
    expect(sent.find((c) => c.cmd === "store_check_payment")?.args).toEqual({ counter: "c2", id: 8 });
    expect(sent.find((c) => c.cmd === "store_resolve_payment")?.args.request).toEqual({ counter: "c2", id: 8, trxID: "cc1trx0003", reason: "customer showed the SMS" });
    await page.close();
  });

  it("refuses a refund beyond what the store has left, in the manager's words", async () => {
    const page = await openApp(
      browser,
      fixture({ store_refund: { err: { code: "refund_too_large", message: "Only ৳30.00 is left to refund on this payment.", details: { left: "৳30.00" } } } }),
    );
    await page.getByTestId("tab-manager").click();
    await page.locator('[data-testid="store-row"][data-counter="c2"]').getByTestId("store-row-open").click();
    await page.getByTestId("store-refund-amount").fill("120");
    await page.getByTestId("store-refund-sku").fill("TEA");
    await page.getByTestId("store-refund-reason").fill("again");
    await page.getByTestId("store-refund-submit").click();
    await expect(page.getByTestId("store-details-message").textContent()).resolves.toContain("30.00");
    await page.close();
  });

  it("closes the store's day once, says which counters had not sent everything, and prints and exports it", async () => {
    const report = {
      number: 4,
      day: "2026-11-25",
      closedAt: "2026-11-25T15:00:00Z",
      closedBy: "manager at counter c1",
      summary: STORE_DAY.summary,
      byCounter: STORE_DAY.byCounter,
      byCashier: STORE_DAY.byCashier,
      // c2 was cut off with 12 changes unsent; c3 was cut off with nothing unsent at its last contact.
      behind: [STORE_DAY.counters[1], { counter: "c3", behind: 0, lastContact: "2026-11-25T08:15:00Z", silent: true }],
      corrections: [{ counter: "c2", id: 3, invoice: "c2-20261124-00000003", amountPoisha: 6000, state: "completed", trxID: "CC2LATE", createdAt: "2026-11-24T10:00:00Z" }],
    };
    const saved = "/home/shop/Downloads/store-dhanmondi-training-2026-11-25.csv";
    const page = await openApp(browser, fixture({ close_store_day: { ok: report }, export_day: { ok: [saved] } }));
    await page.getByTestId("tab-manager").click();
    await page.getByTestId("day-date").fill("2026-11-25");
    await page.getByTestId("store-close-day").click();
    await expect(page.getByTestId("store-eod").getAttribute("data-number")).resolves.toBe("4");
    const behind = await page.getByTestId("store-eod-behind").textContent();
    expect(behind).toContain("c2 was last heard from at 10:42 with 12 changes not sent then, and what it did since is not in this report");
    expect(behind).toContain("c3 was last heard from at 14:15, and what it did since is not in this report");
    expect(behind).not.toContain("(0)");
    await expect(page.getByTestId("store-eod-corrections").textContent()).resolves.toContain("CC2LATE");
    await expect(page.getByTestId("store-eod-net").textContent()).resolves.toContain("670.00");
    await expect(page.locator('[data-testid="store-eod-by-cashier"] [data-name="rina"]').textContent()).resolves.toContain("570.00");

    // Printed on an 80 mm roll: the print dialog opens with only the report laid out for it.
    await page.evaluate(() => {
      const w = window as unknown as { __printedAs: string[] };
      w.__printedAs = [];
      window.print = () => void w.__printedAs.push(document.body.dataset.print ?? "");
    });
    await page.getByTestId("store-eod-print-80mm").click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { __printedAs: string[] }).__printedAs)).toEqual(["eod-80mm"]);
    await page.emulateMedia({ media: "print" });
    await page.evaluate(() => (document.body.dataset.print = "eod-80mm"));
    const visibility = (id: string) => page.getByTestId(id).evaluate((el) => getComputedStyle(el).visibility);
    await expect(visibility("store-eod-report")).resolves.toBe("visible");
    await expect(visibility("store-list")).resolves.toBe("hidden");
    await page.emulateMedia({ media: "screen" });

    // Every counter's transactions of the day, to a CSV file.
    await page.getByTestId("store-eod-export-csv").click();
    await expect(page.getByTestId("store-eod-message").textContent()).resolves.toBe(`Saved ${saved}`);
    expect((await calls(page)).find((c) => c.cmd === "export_day")?.args).toEqual({ date: "2026-11-25", format: "csv", of: "store" });
    expect((await calls(page)).find((c) => c.cmd === "close_store_day")?.args).toEqual({ date: "2026-11-25" });
    // Another day: that day's report is not the one on screen.
    await page.getByTestId("day-date").fill("2026-11-26");
    await expect(page.getByTestId("store-eod").count()).resolves.toBe(0);
    await page.close();
  });

  it("tells the cashier how many changes wait for the store and since when, and that payments go on", async () => {
    const offline = { pending: 142, offlineSince: "2026-11-25T04:42:00Z", lastSentAt: "2026-11-25T04:41:00Z", problem: "the store database at 10.0.0.5:5432 cannot be reached (Connection refused)", refused: false };
    const page = await openApp(browser, fixture({ store_sync_status: { ok: offline } }));
    const banner = page.getByTestId("store-backlog");
    await expect(banner.textContent()).resolves.toBe(
      "142 changes not yet sent to the store, offline since 10:42. Payments go on; they are sent when the store answers.",
    );
    await page.screenshot({ path: join(screenshotDir, "store-backlog.png") });
    await page.close();
  });

  it("says on every screen when the store refuses this counter, with the reason", async () => {
    const refused = { ...IN_SYNC, pending: 3, problem: "counter id c1 is already used in store dhanmondi by another PC; choose another counter id", refused: true };
    const page = await openApp(browser, fixture({ store_sync_status: { ok: refused } }));
    await expect(page.getByTestId("store-refused").textContent()).resolves.toContain("already used in store dhanmondi by another PC");
    await page.close();
  });

  it("takes the store's database in Settings, sends the password only to be stored and names a plain connection to another PC", async () => {
    const settings = {
      settings: { shopName: "Rahim Store", counterId: "c1", environment: "training", product: "checkout", callbackUrl: null, payAt: "counter", phoneTimeoutSecs: 180, customerDisplay: false, trainingPhoneAccess: false, printer: "none", cupsPrinter: null, escposAddress: null, paper: "80mm", printAutomatically: true, openDrawer: false, startOnLogin: false, baseUrl: null, scriptUrl: null, timeoutSecs: 30, connectTimeoutSecs: 10, store: null },
      credentials: { stored: false, username: "", appKey: "" },
      secretsKeptIn: "the OS keyring (Secret Service)",
    };
    const problems = [{ field: "storeTls", message: "TLS is required for a store database that is not on this PC (192.168.1.20)" }];
    const page = await openApp(browser, fixture({ app_info: { ok: TRAINING_INFO }, get_settings: { ok: settings }, save_settings: { ok: { saved: false, problems, restartNeeded: false } } }));
    await page.getByTestId("tab-settings").click();
    await page.getByTestId("setting-storeOn").check();
    await page.getByTestId("setting-storeHost").fill("192.168.1.20");
    await page.getByTestId("setting-storePassword").fill("db-pass-9917");
    await page.getByTestId("setting-storeTls-off").check();
    await page.getByTestId("setting-storeId").fill("dhanmondi");
    await page.getByTestId("save-settings").click();
    await expect(page.getByTestId("field-error-storeTls").textContent()).resolves.toContain("TLS is required");
    const save = (await calls(page)).find((c) => c.cmd === "save_settings");
    expect(save?.args.storePassword).toBe("db-pass-9917");
    expect(save?.args.settings).toMatchObject({ store: { host: "192.168.1.20", port: 5432, tls: "off", storeId: "dhanmondi" } });
    expect(JSON.stringify(save?.args.settings)).not.toContain("db-pass-9917");
    await page.screenshot({ path: join(screenshotDir, "settings-store.png"), fullPage: true });
    await page.close();
  });
});
