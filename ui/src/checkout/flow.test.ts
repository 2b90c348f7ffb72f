import { describe, expect, it } from "vitest";
import { runCheckout, type BkashCheckout, type CheckoutCommands, type CheckoutPage } from "./flow";
import type { CheckoutCreated, PaymentView } from "../ipc";

const CONTEXT = { scriptUrl: "https://scripts.sandbox.bka.sh/x.js", amount: "1250.50", invoice: "C1-1", shopName: "Rahim Store", csp: "script-src 'self'" };
const CREATED: CheckoutCreated = {
  paymentID: "TR1",
  createTime: "2026-11-25T15:00:00:000 GMT+0600",
  orgName: "Rahim Store",
  transactionStatus: "Initiated",
  amount: "1250.50",
  currency: "BDT",
  intent: "sale",
  merchantInvoiceNumber: "C1-1",
};
const COMPLETED = { state: "completed", reason: null } as unknown as PaymentView;

/** A stand-in for bKash's checkout.js that records what the page did. */
function fakeBkash() {
  const log: string[] = [];
  let options: Parameters<BkashCheckout["init"]>[0] | undefined;
  const bKash: BkashCheckout = {
    init: (o) => {
      options = o;
      log.push(`init ${o.paymentRequest.amount}`);
    },
    create: () => ({ onSuccess: (d) => log.push(`onSuccess ${d.paymentID}`), onError: () => log.push("create.onError") }),
    execute: () => ({ onError: () => log.push("execute.onError") }),
  };
  return { bKash, log, options: () => options! };
}

function harness(commands: Partial<CheckoutCommands>, scriptLoads = true) {
  const fake = fakeBkash();
  const shown: string[] = [];
  const page: CheckoutPage = {
    restrict: (csp) => shown.push(`csp ${csp}`),
    show: (_c, amount) => shown.push(`amount ${amount}`),
    status: (t) => shown.push(`status ${t}`),
    error: (t) => shown.push(`error ${t}`),
    loadScript: (url) => (scriptLoads ? Promise.resolve() : Promise.reject(new Error(`cannot load ${url}`))),
    bKash: () => fake.bKash,
    start: () => fake.options().createRequest({}),
  };
  const made: string[] = [];
  const all: CheckoutCommands = {
    context: async () => CONTEXT,
    create: async () => (made.push("create"), CREATED),
    execute: async () => (made.push("execute"), COMPLETED),
    cancel: async (reason) => (made.push(`cancel ${reason}`), null),
    ...commands,
  };
  return { run: () => runCheckout(page, all), fake, shown, made };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("the checkout page's flow", () => {
  it("narrows its CSP, shows the amount, inits bKash with the amount string and hands create's answer to onSuccess", async () => {
    const h = harness({});
    await h.run();
    await settle();
    expect(h.shown.slice(0, 2)).toEqual(["csp script-src 'self'", "amount ৳1,250.50"]);
    expect(h.fake.log).toEqual(["init 1250.50", "onSuccess TR1"]);
    h.fake.options().executeRequestOnAuthorization();
    await settle();
    expect(h.made).toEqual(["create", "execute"]);
    expect(h.fake.log).not.toContain("execute.onError");
  });

  it("tells bKash's frame when create or execute did not complete", async () => {
    const failing = harness({
      create: async () => Promise.reject({ code: "create_failed", message: "bKash could not start payment 7", details: { reason: "reason.503" } }),
    });
    await failing.run();
    await settle();
    expect(failing.fake.log).toContain("create.onError");
    expect(failing.shown).toContain("error bKash could not start the payment: bKash is under maintenance. Try again in a few minutes.");

    const refused = harness({
      execute: async () => ({ state: "failed", reason: { kind: "bkash", code: "2023" }, bkashMessage: "Insufficient Balance" }) as unknown as PaymentView,
    });
    await refused.run();
    await settle();
    refused.fake.options().executeRequestOnAuthorization();
    await settle();
    expect(refused.fake.log).toContain("execute.onError");
    expect(refused.shown).toContain("error The customer's bKash balance is too low for this amount. (bKash 2023: Insufficient Balance)");
  });

  it("cancels when the customer closes bKash's frame before paying, and never after execute was sent", async () => {
    const h = harness({});
    await h.run();
    await settle();
    h.fake.options().onClose?.();
    await settle();
    expect(h.made).toEqual(["create", "cancel customer_closed"]);

    const late = harness({ execute: () => new Promise(() => undefined) });
    await late.run();
    await settle();
    late.fake.options().executeRequestOnAuthorization();
    late.fake.options().onClose?.();
    await settle();
    expect(late.made).toEqual(["create"]);
  });

  it("cancels with the reason when bKash's script cannot be loaded", async () => {
    const h = harness({}, false);
    await h.run();
    expect(h.made).toEqual(["cancel script_unavailable"]);
    expect(h.shown.some((s) => s.startsWith("error cannot load https://scripts.sandbox.bka.sh/x.js"))).toBe(true);
  });
});
