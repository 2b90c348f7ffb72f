// The first start on a new PC, in Chromium with the core mocked: the setup
// from the keyboard, its refusals, Test connection, and Skip.
import { join } from "node:path";
import { mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { calls, launchBrowser, openApp, screenshotDir, TRAINING_INFO, type IpcFixture } from "./harness";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
  mkdirSync(screenshotDir, { recursive: true });
});
afterAll(async () => browser?.close());

const FIRST = { ...TRAINING_INFO, firstRun: true, shopName: "My shop", counterId: "C1" };

function fixture(extra: IpcFixture = {}): IpcFixture {
  return {
    app_info: { ok: FIRST },
    recovery_status: { ok: { checking: [], resolved: [] } },
    catalogue: { ok: [] },
    unfinished_sale: { ok: null },
    ...extra,
  };
}

describe("the first start", () => {
  it("is set up from the keyboard: shop, counter, PIN twice, Training, then the app restarts", async () => {
    const page = await openApp(browser, fixture({ first_run_setup: { ok: { saved: true, problems: [], restartNeeded: true } }, restart_app: { ok: null } }));
    await page.getByTestId("first-run").waitFor();
    expect(await page.getByTestId("cashier-screen").isVisible()).toBe(false);
    expect(await page.getByTestId("tab-counter").isVisible()).toBe(false);
    // The shop name has focus: select it and type over it.
    await page.keyboard.press("Control+A");
    await page.keyboard.type("Rahim Store");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("C2");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.type("4831");
    await page.keyboard.press("Tab");
    await page.keyboard.type("4831");
    await page.screenshot({ path: join(screenshotDir, "first-run.png") });
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await calls(page)).some((c) => c.cmd === "restart_app")).toBe(true);
    const sent = (await calls(page)).find((c) => c.cmd === "first_run_setup")?.args.form;
    expect(sent).toMatchObject({ shopName: "Rahim Store", counterId: "C2", pin: "4831", environment: "training", printer: "none" });
    await page.close();
  });

  it("refuses two different PINs on the spot and shows the core's field problems", async () => {
    const refused = { saved: false, problems: [{ field: "counterId", message: "must be 1–10 letters or digits" }], restartNeeded: false };
    const page = await openApp(browser, fixture({ first_run_setup: { ok: refused } }));
    await page.getByTestId("first-run").waitFor();
    await page.getByTestId("setup-pin").fill("4831");
    await page.getByTestId("setup-pin-again").fill("4832");
    await page.getByTestId("setup-start").click();
    await expect(page.getByTestId("setup-error-pin").textContent()).resolves.toBe("The two PINs differ.");
    expect((await calls(page)).some((c) => c.cmd === "first_run_setup")).toBe(false);
    await page.getByTestId("setup-pin-again").fill("4831");
    await page.getByTestId("setup-counterId").fill("C 2");
    await page.getByTestId("setup-start").click();
    await expect(page.getByTestId("setup-error-counterId").textContent()).resolves.toBe("must be 1–10 letters or digits");
    await page.close();
  });

  it("asks for the product and credentials outside Training, and says Test connection costs one token call", async () => {
    const page = await openApp(browser, fixture({ test_connection: { err: { code: "connection_failed", message: "x", details: { detail: "bKash could not be reached" } } } }));
    await page.getByTestId("first-run").waitFor();
    expect(await page.getByTestId("setup-appKey").count()).toBe(0);
    await page.getByTestId("setup-environment-sandbox").check();
    await page.getByTestId("setup-appKey").fill("4f6o0cjiki2rfm34kfdadl1eqq");
    await expect(page.getByTestId("first-run").textContent()).resolves.toContain("one sign-in token");
    await page.getByTestId("setup-test-connection").click();
    await expect(page.getByTestId("setup-connection").textContent()).resolves.toContain("bKash could not be reached");
    const sent = (await calls(page)).find((c) => c.cmd === "test_connection")?.args.form as { environment: string; credentials: { appKey: string } };
    expect([sent.environment, sent.credentials.appKey]).toEqual(["sandbox", "4f6o0cjiki2rfm34kfdadl1eqq"]);
    await page.close();
  });

  it("Skip leaves the counter in Training, ready for a sale", async () => {
    const page = await openApp(browser, fixture({ skip_first_run: { ok: null } }));
    await page.getByTestId("first-run-skip").click();
    await page.getByTestId("cashier-screen").waitFor({ state: "visible" });
    expect(await page.getByTestId("first-run").count()).toBe(0);
    await expect(page.getByTestId("training-banner").isVisible()).resolves.toBe(true);
    await page.close();
  });
});
