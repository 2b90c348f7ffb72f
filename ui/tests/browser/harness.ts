// Drives the built UI (ui/dist) in headless Chromium with Tauri's IPC mocked by
// @tauri-apps/api's own `mockIPC`. Each test declares what each command answers.
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import type { SaleToPay } from "../../src/generated/types";

const uiRoot = fileURLToPath(new URL("../..", import.meta.url));
const dist = join(uiRoot, "dist");
const mocksModule = fileURLToPath(new URL("../../../node_modules/@tauri-apps/api/mocks.js", import.meta.url));
export const ORIGIN = "http://pos.test";
export const screenshotDir = join(uiRoot, "..", "test-artifacts", "ui-screenshots");

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/** What a mocked command does: answer with a value, or fail with `{code, message}`. */
type IpcAnswer = { ok: unknown } | { err: { code: string; message: string; details?: Record<string, string> } };
/** Each command's answer; a `sequence` answers its calls in turn, the last one from then on. */
export type IpcFixture = Record<string, IpcAnswer | { sequence: IpcAnswer[] }>;

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(join(dist, "index.html"))) throw new Error("ui/dist is missing: run `npm run build` first");
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** Opens the app page with `fixture` behind every `invoke`. Calls are recorded in `window.__IPC_CALLS__`. */
export async function openApp(browser: Browser, fixture: IpcFixture, viewport = { width: 1366, height: 768 }, entry = "/"): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.on("pageerror", (err) => {
    throw err;
  });
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === "/__tauri_mocks.js") {
      return route.fulfill({ body: await readFile(mocksModule), contentType: "text/javascript" });
    }
    const file = normalize(join(dist, path === "/" ? "index.html" : path));
    if (!file.startsWith(dist) || !existsSync(file)) return route.fulfill({ status: 404, body: "not found" });
    let body: string | Buffer = await readFile(file);
    if (file.endsWith(".html")) {
      // Module scripts run in document order, so the mock is in place before the app's first invoke.
      const mock = `<script type="module">
        import { mockIPC } from "/__tauri_mocks.js";
        const fixture = ${JSON.stringify(fixture)};
        window.__IPC_CALLS__ = [];
        // Lets a test play the core's events: window.__emit("payment", view).
        window.__emit = (event, payload) => window.__TAURI_INTERNALS__.invoke("plugin:event|emit", { event, payload });
        mockIPC((cmd, args) => {
          window.__IPC_CALLS__.push({ cmd, args });
          let answer = fixture[cmd];
          if (!answer) throw { code: "unmocked", message: "no fixture for " + cmd };
          if ("sequence" in answer) answer = answer.sequence.length > 1 ? answer.sequence.shift() : answer.sequence[0];
          if ("err" in answer) throw answer.err;
          return answer.ok;
        }, { shouldMockEvents: true });
      </script>`;
      body = body.toString().replace("<head>", `<head>${mock}`);
    }
    return route.fulfill({ body, contentType: TYPES[extname(file)] ?? "application/octet-stream" });
  });
  await page.goto(`${ORIGIN}${entry}`);
  return page;
}

export const TRAINING_INFO = {
  version: "0.1.0",
  environment: "training",
  movesRealMoney: false,
  shopName: "Rahim Store",
  counterId: "C1",
  logDir: "/home/cashier/.local/share/bd.counterpos.bkash/logs",
  paymentsStopped: null,
  stoppedBecause: null,
  settingsProblem: null,
  secretsKeptIn: "the OS keyring (Secret Service)",
  product: "checkout",
  payAt: "counter",
  trainingPhoneAddress: null,
  printer: "none",
  printAutomatically: true,
  journalLocked: null,
};

/** Plays one core event in the page, as the Rust side would emit it. */
export async function emit(page: Page, event: string, payload: unknown): Promise<void> {
  await page.evaluate(([e, p]) => (window as unknown as { __emit: (e: unknown, p: unknown) => Promise<void> }).__emit(e, p), [event, payload] as const);
}

/** The sale a pay command (`pay`, `pay_on_phone`, `pay_cash`) carried. */
export function saleSent(call: { args: Record<string, unknown> } | undefined): SaleToPay | undefined {
  return call?.args.sale as SaleToPay | undefined;
}

/** The commands the page invoked so far, in order. */
export async function calls(page: Page): Promise<{ cmd: string; args: Record<string, unknown> }[]> {
  return page.evaluate(() => (window as unknown as { __IPC_CALLS__: { cmd: string; args: Record<string, unknown> }[] }).__IPC_CALLS__);
}
