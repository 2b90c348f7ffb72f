// The shift at the counter and the close of the day, in Chromium with the
// core mocked: the float counted by notes, a pay-out beyond a cashier's role
// approved by a supervisor's PIN typed there, the blind close and its Z
// report, the next-day notice, the staff screen, and the question asked
// before a day is closed. (tests/it/shifts.rs and staff.rs hold the core's
// side; the E2E tier drives the real app.)
import { join } from "node:path";
import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { calls, launchBrowser, openApp, screenshotDir, TRAINING_INFO, type IpcFixture } from "./harness";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(screenshotDir, { recursive: true });
});
afterAll(async () => browser?.close());

const RINA = { id: 2, name: "Rina", role: "cashier" };
const SHIFT = { id: 7, counter: "C1", openedBy: "Rina", openedAt: "2026-12-07T03:00:00Z", floatPoisha: 150000 };
const STAFF = { hasStaff: true, signedIn: RINA, elevated: null, may: ["sell", "take_cash"], table: [], lockAfterIdleMinutes: 5 };
const roleNeeded = (action: string) => ({ err: { code: "role_needed", message: "needs a supervisor", details: { action, least: "supervisor" } } });

const Z = {
  kind: "z",
  shift: 7,
  counter: "C1",
  zNumber: 3,
  shopName: "Rahim Store",
  openedBy: "Rina",
  openedAt: "2026-12-07T03:00:00Z",
  asOf: "2026-12-07T11:00:00Z",
  closedBy: "Karim",
  floatPoisha: 150000,
  cash: { count: 2, amountPoisha: 84000 },
  bkash: { count: 1, amountPoisha: 40000 },
  refunds: { count: 0, amountPoisha: 0 },
  payIns: { count: 0, amountPoisha: 0 },
  payOuts: { count: 1, amountPoisha: 30000 },
  drops: { count: 0, amountPoisha: 0 },
  noSales: 0,
  expectedPoisha: 204000,
  countedPoisha: 202000,
  countedNotes: { pieces: [[1000, 2], [20, 1]] },
  differencePoisha: -2000,
  movements: [{ kind: "pay_out", amountPoisha: 30000, reason: "eggs supplier", by: "Rina", approvedBy: "Salma", at: "2026-12-07T05:00:00Z" }],
  byCashier: [{ name: "Rina", cash: { count: 2, amountPoisha: 84000 }, bkash: { count: 1, amountPoisha: 40000 } }],
};

function fixture(extra: IpcFixture = {}): IpcFixture {
  return {
    app_info: { ok: { ...TRAINING_INFO, printer: "escpos" } },
    recovery_status: { ok: { checking: [], resolved: [] } },
    catalogue: { ok: [] },
    unfinished_sale: { ok: null },
    staff_status: { ok: STAFF },
    staff_touch: { ok: null },
    counter_day: { ok: { salesDay: "2026-12-07", calendarDay: "2026-12-07" } },
    current_shift: { ok: SHIFT },
    ...extra,
  };
}

const lastCall = async (page: Page, cmd: string) => (await calls(page)).filter((c) => c.cmd === cmd).at(-1);
const callsOf = async (page: Page, cmd: string) => (await calls(page)).filter((c) => c.cmd === cmd);

describe("the shift at the counter", () => {
  it("opens with the float counted by notes, the total adding up as the pieces are typed", async () => {
    const page = await openApp(browser, fixture({ current_shift: { sequence: [{ ok: null }, { ok: SHIFT }] }, open_shift: { ok: SHIFT } }));
    await expect(page.getByTestId("shift-none").textContent()).resolves.toContain("No shift open");
    await page.getByTestId("shift-open-button").click();
    await page.getByTestId("float-note-1000").fill("1");
    await page.getByTestId("float-note-100").fill("৪");
    await page.getByTestId("float-note-20").fill("5");
    await expect(page.getByTestId("float-total").textContent()).resolves.toBe("৳1,500.00");
    await page.screenshot({ path: join(screenshotDir, "shift-open-float.png") });
    await page.getByTestId("float-note-5").fill("2.5");
    await page.getByTestId("float-submit").click();
    await expect(page.getByTestId("float-error").textContent()).resolves.toBe("The count of ৳5 notes is not a whole number.");
    expect(await callsOf(page, "open_shift")).toEqual([]);
    await page.getByTestId("float-note-5").fill("");
    await page.getByTestId("float-submit").click();
    await expect.poll(async () => (await lastCall(page, "open_shift"))?.args).toEqual({
      float: { totalPoisha: 150000, notes: { pieces: [[1000, 1], [100, 4], [20, 5]] } },
      approval: null,
    });
    await expect(page.getByTestId("shift-open").textContent()).resolves.toContain("Shift #7 · opened by Rina");
    await expect(page.getByTestId("shift-message").textContent()).resolves.toBe("Shift #7 is open with a float of ৳1,500.00.");
    await page.close();
  });

  it("asks for a supervisor's PIN for a cashier's pay-out, says a wrong one, and sends the same pay-out with the right one", async () => {
    const wrong = { err: { code: "pin_wrong", message: "wrong", details: { left: "4" } } };
    const page = await openApp(browser, fixture({ move_cash: { sequence: [roleNeeded("pay_in_out"), wrong, { ok: null }] } }));
    await page.getByTestId("shift-move-button").click();
    await page.getByTestId("move-kind").selectOption("pay_out");
    await page.getByTestId("move-amount").fill("300");
    await page.getByTestId("move-reason").fill("eggs supplier");
    await page.getByTestId("move-submit").click();
    await expect(page.getByTestId("approval").textContent()).resolves.toContain("A supervisor's PIN, for this one action");
    await expect(page.getByTestId("approval").textContent()).resolves.toContain("pay cash in or out");
    await page.getByTestId("approval-pin").fill("1111");
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("approval-message").textContent()).resolves.toBe("Wrong PIN. 4 tries left before it locks.");
    await page.screenshot({ path: join(screenshotDir, "shift-approval.png") });
    await page.getByTestId("approval-pin").fill("7777");
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("shift-message").textContent()).resolves.toBe("Pay out of ৳300.00 recorded.");
    expect(await page.getByTestId("approval").count()).toBe(0);
    expect((await callsOf(page, "move_cash")).map((c) => c.args.movement)).toEqual([
      { kind: "pay_out", amountPoisha: 30000, reason: "eggs supplier" },
      { kind: "pay_out", amountPoisha: 30000, reason: "eggs supplier", approval: "1111" },
      { kind: "pay_out", amountPoisha: 30000, reason: "eggs supplier", approval: "7777" },
    ]);
    await page.close();
  });

  it("does nothing and says so when the approval is cancelled with Esc", async () => {
    const page = await openApp(browser, fixture({ move_cash: roleNeeded("pay_in_out") }));
    await page.getByTestId("shift-move-button").click();
    await page.getByTestId("move-amount").fill("50");
    await page.getByTestId("move-reason").fill("tea");
    await page.getByTestId("move-submit").click();
    await page.getByTestId("approval-pin").waitFor();
    await page.keyboard.press("Escape");
    await expect(page.getByTestId("shift-message").textContent()).resolves.toBe("Not done: no PIN approved it.");
    expect(await callsOf(page, "move_cash")).toHaveLength(1);
    await page.close();
  });

  it("closes with a blind count, then shows the Z report with the difference and prints it", async () => {
    const page = await openApp(browser, fixture({ close_shift: { ok: Z }, print_shift_report: { ok: null } }));
    await page.getByTestId("shift-close-button").click();
    // Blind: nothing on the screen says what the drawer should hold.
    await expect(page.getByTestId("close-count").textContent()).resolves.not.toContain("2,040");
    await page.getByTestId("close-note-1000").fill("2");
    await page.getByTestId("close-note-20").fill("1");
    await expect(page.getByTestId("close-total").textContent()).resolves.toBe("৳2,020.00");
    await page.getByTestId("close-submit").click();
    await expect(page.getByTestId("z-report").textContent()).resolves.toContain("Z report #3");
    await expect(page.getByTestId("shift-difference").textContent()).resolves.toContain("−৳20.00");
    await expect(page.getByTestId("shift-expected").textContent()).resolves.toContain("৳2,040.00");
    await expect(page.getByTestId("shift-movements").textContent()).resolves.toContain("eggs supplier (Rina / Salma)");
    await page.screenshot({ path: join(screenshotDir, "shift-z-report.png") });
    await page.getByTestId("shift-print").click();
    await expect.poll(async () => (await lastCall(page, "print_shift_report"))?.args.language).toBe("en");
    expect((await lastCall(page, "close_shift"))?.args).toEqual({ count: { totalPoisha: 202000, notes: { pieces: [[1000, 2], [20, 1]] } }, approval: null });
    await page.close();
  });

  it("says when today is closed that a sale now belongs to the next day", async () => {
    const page = await openApp(browser, fixture({ counter_day: { ok: { salesDay: "2026-12-08", calendarDay: "2026-12-07" } } }));
    await expect(page.getByTestId("next-day-notice").textContent()).resolves.toBe("2026-12-07 is closed: sales rung up now belong to 2026-12-08.");
    await page.close();
  });

  it("refunds a paid sale found by its trxID, with the supervisor's PIN the cashier's role needs", async () => {
    const paid = {
      payment: { id: 11, amountPoisha: 40000, trxID: "TRX0000000042", invoice: "C1-1", createdAt: "2026-12-07T04:00:00Z" },
      events: [],
      refunds: [],
      refundablePoisha: 40000,
    };
    const refunded = { id: 1, paymentId: 11, amountPoisha: 10000, state: "completed", refundTrxID: "RFD1", sku: "egg", reason: "broken", requestedAt: "2026-12-07T05:00:00Z" };
    const page = await openApp(browser, fixture({ find_paid_payment: { ok: paid }, refund_payment: { sequence: [roleNeeded("refund"), { ok: refunded }] } }));
    await page.getByTestId("shift-refund-button").click();
    await page.getByTestId("refund-reference").fill("TRX0000000042");
    await page.getByTestId("refund-find").click();
    await expect(page.getByTestId("refund-found").textContent()).resolves.toContain("৳400.00 paid by bKash");
    await page.getByTestId("counter-refund-amount").fill("100");
    await page.getByTestId("counter-refund-sku").fill("egg");
    await page.getByTestId("counter-refund-reason").fill("broken");
    await page.getByTestId("counter-refund-submit").click();
    await page.getByTestId("approval-pin").fill("7777");
    await page.getByTestId("approval-submit").click();
    await expect.poll(async () => (await callsOf(page, "refund_payment")).map((c) => c.args.request)).toEqual([
      { id: 11, amountPoisha: 10000, sku: "egg", reason: "broken" },
      { id: 11, amountPoisha: 10000, sku: "egg", reason: "broken", approval: "7777" },
    ]);
    await page.close();
  });
});

describe("the manager's close of the day", () => {
  const PREVIEW = {
    closed: false,
    report: {
      number: 0,
      day: "2026-12-07",
      closedAt: "2026-12-07 17:00:00",
      shopName: "Rahim Store",
      summary: {
        completed: { count: 3, amountPoisha: 120000 },
        cash: { count: 2, amountPoisha: 84000 },
        refunded: { count: 0, amountPoisha: 0 },
        netPoisha: 204000,
        failed: { count: 0, amountPoisha: 0 },
        cancelled: { count: 0, amountPoisha: 0 },
        checking: { count: 0, amountPoisha: 0 },
      },
      byCounter: [],
      byCashier: [],
      carriedOver: [],
      corrections: [],
      cashCorrections: [],
    },
  };
  const manager = (extra: IpcFixture = {}) =>
    fixture({
      staff_status: { err: { code: "unmocked", message: "no staff" } },
      manager_status: { ok: { pinSet: true, unlocked: true } },
      day_view: { ok: { summary: PREVIEW.report.summary, rows: [], total: 0, page: 0, pageSize: 50, hourlyPoisha: Array(24).fill(0), till: null } },
      end_of_day: { ok: PREVIEW },
      unfinished_sale: { ok: { orderId: "S-1", lines: [{ code: null, name: "Tea", quantity: 1, unitPoisha: 2000 }], totalPoisha: 2000, tender: null, cash: null, payment: null } },
      ...extra,
    });

  it("asks before closing, with the day's totals and the sale still open; Go back closes nothing", async () => {
    const closedReport = { closed: true, report: { ...PREVIEW.report, number: 4 } };
    const page = await openApp(browser, manager({ close_day: { ok: closedReport } }));
    await page.getByTestId("tab-manager").click();
    await page.getByTestId("manager-eod").click();
    await page.getByTestId("eod-close").click();
    await expect(page.getByTestId("eod-confirm-bkash").textContent()).resolves.toBe("bKash taken: ৳1,200.00 (3)");
    await expect(page.getByTestId("eod-confirm-cash").textContent()).resolves.toBe("Cash taken: ৳840.00 (2)");
    await expect(page.getByTestId("eod-confirm-open-sale").textContent()).resolves.toContain("A sale is still open");
    await page.screenshot({ path: join(screenshotDir, "eod-confirm.png") });
    // Go back has the focus: Enter closes nothing; Esc goes back too.
    await page.keyboard.press("Escape");
    expect(await page.getByTestId("eod-confirm").count()).toBe(0);
    await page.getByTestId("eod-close").click();
    await page.keyboard.press("Enter");
    expect(await page.getByTestId("eod-confirm").count()).toBe(0);
    expect(await callsOf(page, "close_day")).toEqual([]);
    await page.getByTestId("eod-close").click();
    await page.getByTestId("eod-confirm-yes").click();
    await expect(page.getByTestId("eod-title").textContent()).resolves.toBe("End-of-day report #4");
    expect(await callsOf(page, "close_day")).toHaveLength(1);
    await page.close();
  });

  it("adds a cashier from the staff screen and disables one who left", async () => {
    const accounts = [
      { id: 1, name: "Manager", role: "manager", active: true },
      { id: 2, name: "Rina", role: "cashier", active: true },
    ];
    const page = await openApp(
      browser,
      manager({
        staff_accounts: { ok: accounts },
        add_staff_account: { ok: { id: 3, name: "Karim", role: "supervisor", active: true } },
        change_staff_account: { ok: { ...accounts[1], active: false } },
      }),
    );
    await page.getByTestId("tab-manager").click();
    await page.getByTestId("manager-staff").click();
    await expect.poll(() => page.getByTestId("staff-row").count()).toBe(2);
    await page.getByTestId("staff-new-name").fill(" Karim ");
    await page.getByTestId("staff-new-role").selectOption("supervisor");
    await page.getByTestId("staff-new-pin").fill("4821");
    await page.getByTestId("staff-new-submit").click();
    await expect(page.getByTestId("staff-message").textContent()).resolves.toBe("Karim can sign in now, as supervisor.");
    expect((await lastCall(page, "add_staff_account"))?.args).toEqual({ account: { name: "Karim", role: "supervisor", pin: "4821" } });
    await page.locator("[data-testid=staff-row][data-name=Rina] [data-testid=staff-row-active]").click();
    await expect.poll(async () => (await lastCall(page, "change_staff_account"))?.args).toEqual({ id: 2, change: { name: null, role: null, active: false, pin: null } });
    await expect(page.getByTestId("staff-message").textContent()).resolves.toBe("Rina can no longer sign in; their sales keep their name.");
    await page.close();
  });
});
