import { describe, expect, it } from "vitest";
import { newOrderId, panelFor } from "./sale";
import type { PaymentState, PaymentView } from "./ipc";

const view = (state: PaymentState): PaymentView => ({
  id: 1,
  orderId: "S-1",
  invoice: "C1-1",
  state,
  amountPoisha: 100,
  paymentID: null,
  trxID: null,
  maskedWallet: null,
  reason: null,
  bkashMessage: null,
  counterId: "C1",
  payAt: "counter",
  statusPolls: 0,
  createdAt: "2026-11-25T09:00:00Z",
  settledAt: null,
});

describe("panelFor", () => {
  it("offers Pay only when nothing is in flight, the order is payable and payments run", () => {
    expect(panelFor(null, true, false)).toEqual({ kind: "idle", canPay: true, canCancel: false, locked: false });
    expect(panelFor(null, false, false).canPay).toBe(false);
    expect(panelFor(null, true, true).canPay).toBe(false);
  });

  it("lets the cashier cancel only before execute is sent", () => {
    const cancellable = (["new", "creating", "awaiting_customer", "executing", "unknown", "completed"] as const).map((s) => panelFor(view(s), true, false).canCancel);
    expect(cancellable).toEqual([true, true, true, false, false, false]);
  });

  it("locks the order while money may be moving or has moved, and frees it when nothing was charged", () => {
    const locked = (["awaiting_customer", "executing", "unknown", "completed", "failed", "cancelled", "not_charged"] as const).map(
      (s) => panelFor(view(s), true, false).locked,
    );
    expect(locked).toEqual([true, true, true, true, false, false, false]);
    expect(panelFor(view("unknown"), true, false)).toMatchObject({ kind: "checking", canPay: false });
    expect(panelFor(view("failed"), true, false)).toMatchObject({ kind: "failed", canPay: true });
  });
});

describe("newOrderId", () => {
  it("is letters, digits and dashes the core accepts, and differs per sale", () => {
    const id = newOrderId(new Date("2026-11-25T09:01:02Z"), () => 0.5);
    expect(id).toBe("S-20261125090102-SSSS");
    expect(newOrderId()).toMatch(/^S-\d{14}-[A-Z2-9]{4}$/);
  });
});

describe("bangladeshToday", () => {
  it("is the Dhaka date, which turns over at 18:00 UTC", async () => {
    const { bangladeshToday } = await import("./Manager");
    expect(bangladeshToday(new Date("2026-11-25T17:59:59Z"))).toBe("2026-11-25");
    expect(bangladeshToday(new Date("2026-11-25T18:00:00Z"))).toBe("2026-11-26");
  });
});
