// The till in Chromium with the core mocked: catalogue search from the
// keyboard, a scanner's burst against a person's typing, quantity keys,
// cash with change, the sale reopened after a restart, the catalogue import
// and the day's drawers and shifts. (tests/it/till.rs holds the core's side; the E2E
// tier drives the real app.)
import { join } from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { calls, launchBrowser, openApp, saleSent, screenshotDir, TRAINING_INFO, type IpcFixture } from "./harness";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(screenshotDir, { recursive: true });
});
afterAll(async () => browser?.close());

const CATALOGUE = [
  { code: "RICE5", barcode: "8941100500012", nameEn: "Miniket rice 5 kg", nameBn: "মিনিকেট চাল ৫ কেজি", pricePoisha: 42000 },
  { code: "RICE1", barcode: null, nameEn: "Basmati rice 1 kg", nameBn: null, pricePoisha: 16000 },
  { code: "OIL1", barcode: "8941100500029", nameEn: "Soybean oil 1 L", nameBn: "সয়াবিন তেল ১ লিটার", pricePoisha: 18950 },
];

function fixture(extra: IpcFixture = {}): IpcFixture {
  return {
    app_info: { ok: TRAINING_INFO },
    recovery_status: { ok: { checking: [], resolved: [] } },
    catalogue: { ok: CATALOGUE },
    unfinished_sale: { ok: null },
    finish_sale: { ok: null },
    ...extra,
  };
}

const lineCount = (page: Page) => page.getByTestId("order-line").count();
const lastCall = async (page: Page, cmd: string) => (await calls(page)).filter((c) => c.cmd === cmd).at(-1);

async function ready(page: Page): Promise<void> {
  await page.getByTestId("cashier-screen").waitFor();
  await expect.poll(async () => (await calls(page)).some((c) => c.cmd === "catalogue")).toBe(true);
  await page.getByTestId("item-name").focus();
}

describe("ringing up from the catalogue", () => {
  it("lists matches as the cashier types, ↓ picks one and Enter adds it at the catalogue's price", async () => {
    const page = await openApp(browser, fixture());
    await ready(page);
    await page.keyboard.type("rice", { delay: 80 });
    await expect(page.getByTestId("item-match").allTextContents()).resolves.toEqual(["RICE5Miniket rice 5 kg৳420.00", "RICE1Basmati rice 1 kg৳160.00"]);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await expect.poll(() => lineCount(page)).toBe(1);
    await expect(page.getByTestId("order-total").textContent()).resolves.toBe("৳160.00");
    await expect(page.getByTestId("order-line").first().getAttribute("data-code")).resolves.toBe("RICE1");
    await page.screenshot({ path: join(screenshotDir, "till-search.png") });
    await page.close();
  });

  it("adds a product at once for a scanner's burst of digits, adds to its line on a second scan, and refuses an unknown code", async () => {
    const page = await openApp(browser, fixture());
    await ready(page);
    for (const code of ["8941100500012", "8941100500029", "8941100500012"]) {
      await page.keyboard.type(code, { delay: 0 });
      await page.keyboard.press("Enter");
    }
    await expect.poll(() => lineCount(page)).toBe(2);
    await expect(page.getByTestId("order-total").textContent()).resolves.toBe("৳1,029.50");
    await page.keyboard.type("8941100599999", { delay: 0 });
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("line-error").textContent()).resolves.toBe("No product has the code 8941100599999. Nothing was added.");
    await expect(page.getByTestId("item-price").getAttribute("aria-invalid")).resolves.toBe("false");
    expect(await lineCount(page)).toBe(2);
    // The same digits typed by a person are not a scan: no code, so a price is asked for.
    await page.keyboard.type("8941100599999", { delay: 90 });
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("line-error").textContent()).resolves.not.toContain("No product has the code");
    // A scan while nothing has focus still lands in the item field.
    await page.getByTestId("item-name").fill("");
    await page.locator("h1").click();
    await page.keyboard.type("8941100500029", { delay: 0 });
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByTestId("order-total").textContent()).toBe("৳1,219.00");
    await page.close();
  });

  it("changes the chosen line's quantity with + and − and removes it with Delete, with the item field empty", async () => {
    const page = await openApp(browser, fixture());
    await ready(page);
    await page.keyboard.type("RICE5");
    await page.keyboard.press("Enter");
    await page.keyboard.type("OIL1");
    await page.keyboard.press("Enter");
    await page.keyboard.press("+");
    await page.keyboard.press("+");
    await expect(page.getByTestId("order-total").textContent()).resolves.toBe("৳988.50");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("Delete");
    await expect.poll(() => lineCount(page)).toBe(1);
    await expect(page.getByTestId("order-total").textContent()).resolves.toBe("৳568.50");
    await page.keyboard.press("-");
    await page.keyboard.press("-");
    await page.keyboard.press("-");
    await expect(page.getByTestId("order-total").textContent()).resolves.toBe("৳189.50");
    await expect(page.getByTestId("item-name").inputValue()).resolves.toBe("");
    await page.close();
  });
});

const CASH_SALE = {
  orderId: "S-20261130100000-ABCD",
  lines: [{ code: "OIL1", name: "Soybean oil 1 L", quantity: 2, unitPoisha: 18950 }],
  totalPoisha: 37900,
  tender: "cash",
  cash: { tenderedPoisha: 50000, changePoisha: 12100, at: "2026-11-30T10:00:00Z" },
  payment: null,
};

describe("cash at the counter", () => {
  it("F10 takes cash: the change due shows as the amount is typed (Bengali digits too), Enter records it with the lines", async () => {
    const info = { ...TRAINING_INFO, printer: "escpos", printAutomatically: true };
    const page = await openApp(browser, fixture({ app_info: { ok: info }, pay_cash: { ok: CASH_SALE }, print_receipt: { ok: { printer: "192.168.1.50:9100" } } }));
    await ready(page);
    await page.keyboard.type("OIL1");
    await page.keyboard.press("Enter");
    await page.keyboard.press("+");
    await page.keyboard.press("F10");
    await page.getByTestId("cash-tendered").waitFor();
    await page.keyboard.type("300");
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("cash-error").textContent()).resolves.toBe("The cash received is less than the total (৳379.00).");
    await page.getByTestId("cash-tendered").fill("৫০০");
    await expect(page.getByTestId("cash-change").textContent()).resolves.toBe("৳121.00");
    await page.keyboard.press("Enter");
    await page.getByTestId("cash-paid").waitFor();
    const sent = await lastCall(page, "pay_cash");
    expect(saleSent(sent)?.lines).toEqual([{ code: "OIL1", name: "Soybean oil 1 L", quantity: 2, unitPoisha: 18950 }]);
    expect(sent?.args.tenderedPoisha).toBe(50000);
    await expect(page.getByTestId("change-due").textContent()).resolves.toBe("Give ৳121.00 change");
    await expect(page.getByTestId("receipt-items").textContent()).resolves.toContain("2 × Soybean oil 1 L");
    await expect(page.getByTestId("receipt-change").textContent()).resolves.toBe("৳121.00");
    // Printed once by itself, as the first print: that one opens the drawer.
    await expect.poll(async () => (await calls(page)).filter((c) => c.cmd === "print_receipt").length).toBe(1);
    expect((await lastCall(page, "print_receipt"))?.args.receipt).toEqual({ kind: "cash", orderId: CASH_SALE.orderId, first: true });
    expect(await page.getByTestId("pay-bkash").count()).toBe(0);
    await page.screenshot({ path: join(screenshotDir, "till-cash-change.png") });
    // New sale: the sale is finished, so it does not reopen after a restart.
    await page.getByTestId("new-sale").click();
    expect((await lastCall(page, "finish_sale"))?.args.orderId).toBe(saleSent(sent)?.orderId);
    await expect(page.getByTestId("item-name").evaluate((e) => e === document.activeElement)).resolves.toBe(true);
    await page.close();
  });

  it("holds cash for the amount of a bKash payment still being checked until the cashier confirms, as for bKash", async () => {
    const pending = {
      code: "same_amount_checking",
      message: "A payment of the same amount is still being checked",
      details: { amount: "379.00", invoice: "C1-20261130080000-PENDING1" },
    };
    const page = await openApp(browser, fixture({ pay_cash: { sequence: [{ err: pending }, { ok: CASH_SALE }] }, print_receipt: { ok: { printer: "none" } } }));
    await ready(page);
    await page.keyboard.type("OIL1");
    await page.keyboard.press("Enter");
    await page.keyboard.press("+");
    await page.keyboard.press("F10");
    await page.getByTestId("cash-tendered").fill("500");
    await page.keyboard.press("Enter");
    const text = await page.getByTestId("pay-error").textContent();
    expect(text).toContain("C1-20261130080000-PENDING1");
    expect(text).toContain("still being checked");
    expect(await page.getByTestId("cash-paid").count()).toBe(0);
    await page.screenshot({ path: join(screenshotDir, "till-cash-same-amount-checking.png") });
    await page.getByTestId("cash-anyway").click();
    await page.getByTestId("cash-paid").waitFor();
    const sent = (await calls(page)).filter((c) => c.cmd === "pay_cash").map((c) => [saleSent(c)?.anyway, c.args.tenderedPoisha]);
    expect(sent).toEqual([
      [false, 50000],
      [true, 50000],
    ]);
    await page.close();
  });

  it("refuses cash while the sale's bKash payment is being checked, in the cashier's words", async () => {
    const page = await openApp(browser, fixture({ pay_cash: { err: { code: "sale_being_paid", message: "x", details: {} } } }));
    await ready(page);
    await page.keyboard.type("OIL1");
    await page.keyboard.press("Enter");
    await page.keyboard.press("F10");
    await page.getByTestId("cash-tendered").fill("200");
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("pay-error").textContent()).resolves.toContain("the customer may have been charged");
    await page.close();
  });
});

describe("after a restart", () => {
  it("reopens the sale the counter was on with its lines and its payment still being checked", async () => {
    const sale = {
      orderId: "S-20261130100000-WXYZ",
      lines: [
        { code: "RICE5", name: "Miniket rice 5 kg", quantity: 2, unitPoisha: 42000 },
        { code: null, name: "Carry bag", quantity: 1, unitPoisha: 500 },
      ],
      totalPoisha: 84500,
      tender: null,
      cash: null,
      payment: { id: 9, orderId: "S-20261130100000-WXYZ", invoice: "C1-X-9", state: "unknown", amountPoisha: 84500, paymentID: "TR9", trxID: null, maskedWallet: null, reason: null, bkashMessage: null, counterId: "C1", payAt: "counter", statusPolls: 0, createdAt: "2026-11-30T10:00:00Z", settledAt: null },
    };
    const page = await openApp(browser, fixture({ unfinished_sale: { ok: sale } }));
    await page.getByTestId("till-notice").waitFor();
    await expect.poll(() => lineCount(page)).toBe(2);
    await expect(page.getByTestId("pay-panel").getAttribute("data-state")).resolves.toBe("checking");
    await expect(page.getByTestId("order-total").textContent()).resolves.toBe("৳845.00");
    await expect(page.getByTestId("item-name").isDisabled()).resolves.toBe(true);
    expect(await page.getByTestId("pay-cash").count()).toBe(0);
    await page.close();
  });
});

describe("the manager's catalogue and drawer", () => {
  const DAY = {
    summary: { day: "2026-11-30", completed: { count: 1, amountPoisha: 107150 }, failed: { count: 0, amountPoisha: 0 }, cancelled: { count: 0, amountPoisha: 0 }, checking: { count: 0, amountPoisha: 0 }, inProgress: { count: 0, amountPoisha: 0 }, refunded: { count: 0, amountPoisha: 0 }, cash: { count: 2, amountPoisha: 23150 }, netPoisha: 130300 },
    rows: [],
    total: 0,
    page: 0,
    pageSize: 50,
    hourlyPoisha: Array(24).fill(0),
    till: {
      cash: { count: 2, amountPoisha: 23150 },
      cashByCounter: [{ name: "C1", completed: { count: 2, amountPoisha: 23150 } }],
      cashByCashier: [],
      drawers: [{ counter: "C1", openingFloatPoisha: 100000, cashSalesPoisha: 23150, expectedPoisha: 123150, countedPoisha: 121150, differencePoisha: -2000, note: "change given twice" }],
      topItems: [{ code: "RICE5", name: "Miniket rice 5 kg", quantity: 4, amountPoisha: 168000 }],
    },
  };
  const manager = (extra: IpcFixture = {}) =>
    fixture({
      manager_status: { ok: { pinSet: true, unlocked: true } },
      day_view: { ok: DAY },
      save_product: { ok: null },
      ...extra,
    });

  it("shows cash beside bKash, each shift's drawer, and a day counted by hand before shifts as it was, read-only", async () => {
    const shift = {
      shift: 4,
      counter: "C1",
      openedBy: "Rina",
      openedAt: "2026-12-07T03:00:00Z",
      closedAt: "2026-12-07T11:00:00Z",
      closedBy: "Rina",
      zNumber: 2,
      floatPoisha: 100000,
      cash: { count: 2, amountPoisha: 23150 },
      bkash: { count: 0, amountPoisha: 0 },
      expectedPoisha: 123150,
      countedPoisha: 121150,
      differencePoisha: -2000,
      byCashier: [{ name: "Rina", cash: { count: 2, amountPoisha: 23150 }, bkash: { count: 0, amountPoisha: 0 } }],
    };
    const page = await openApp(browser, manager());
    await page.getByTestId("tab-manager").click();
    await expect(page.getByTestId("total-cash").textContent()).resolves.toContain("৳231.50");
    await expect(page.getByTestId("drawer-difference").textContent()).resolves.toBe("−৳20.00");
    await expect(page.getByTestId("top-items").textContent()).resolves.toContain("Miniket rice 5 kg");
    // The hand count of a day before shifts is history: nothing edits it.
    expect(await page.locator("[data-testid=drawers] input").count()).toBe(0);
    await page.close();
    const withShifts = await openApp(browser, manager({ day_view: { ok: { ...DAY, till: { ...DAY.till, drawers: [], shifts: [shift] } } } }));
    await withShifts.getByTestId("tab-manager").click();
    await expect(withShifts.getByTestId("shift-row-difference").textContent()).resolves.toBe("−৳20.00");
    await expect(withShifts.getByTestId("shift-cashier").textContent()).resolves.toBe("Rina: cash ৳231.50, bKash ৳0.00");
    await withShifts.close();
  });

  it("imports a catalogue file and names each rejected row by its line in Bangla; a file that is not UTF-8 is refused before sending", async () => {
    const report = {
      saved: 2,
      rejectedCount: 2,
      rejected: [
        { line: 4, problem: { kind: "bad_price", problem: "bad_grouping", text: "12,50" }, reason: "the price has a comma" },
        { line: 7, problem: { kind: "duplicate_code", code: "RICE5", first_line: 2 }, reason: "dup" },
      ],
    };
    const page = await openApp(browser, manager({ import_catalogue: { ok: report } }));
    await page.getByTestId("language").selectOption("bn");
    await page.getByTestId("tab-manager").click();
    await page.getByTestId("manager-catalogue").click();
    const dir = tmpdir();
    const latin1 = join(dir, "catalogue-latin1.csv");
    writeFileSync(latin1, Buffer.from([0x63, 0x6f, 0x64, 0x65, 0x2c, 0x6e, 0x61, 0x6d, 0x65, 0x0a, 0x41, 0x2c, 0xe9, 0x0a]));
    await page.getByTestId("catalogue-file").setInputFiles(latin1);
    await expect(page.getByTestId("catalogue-message").textContent()).resolves.toContain("UTF-8");
    expect(await lastCall(page, "import_catalogue")).toBeUndefined();

    const good = join(dir, "catalogue.csv");
    writeFileSync(good, "code,name,price\nRICE5,Miniket rice 5 kg,420\n");
    await page.getByTestId("catalogue-file").setInputFiles(good);
    await page.getByTestId("import-report").waitFor();
    expect((await lastCall(page, "import_catalogue"))?.args.text).toBe("code,name,price\nRICE5,Miniket rice 5 kg,420\n");
    const rows = await page.locator("[data-testid=import-rejected] li").allTextContents();
    expect(rows).toEqual(["লাইন 4: দাম “12,50” টাকার সঠিক অঙ্ক নয়: 12.50 লিখুন (কমা শুধু অঙ্ক ভাগ করতে, যেমন 1,250)।", "লাইন 7: RICE5 কোডটি লাইন 2-এ আগেই আছে।"]);
    await page.screenshot({ path: join(screenshotDir, "till-catalogue-import-bn.png") });

    // Changing a product: its code fills in the form; the new price is sent in poisha.
    await page.getByTestId("product-code").fill("OIL1");
    await expect(page.getByTestId("product-nameEn").inputValue()).resolves.toBe("Soybean oil 1 L");
    await page.getByTestId("product-price").fill("১৯৫");
    await page.getByTestId("product-save").click();
    await expect.poll(async () => (await lastCall(page, "save_product"))?.args.item).toEqual({
      code: "OIL1",
      barcode: "8941100500029",
      nameEn: "Soybean oil 1 L",
      nameBn: "সয়াবিন তেল ১ লিটার",
      pricePoisha: 19500,
    });
    await page.close();
  });
});
