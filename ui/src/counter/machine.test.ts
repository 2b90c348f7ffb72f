import { describe, expect, it } from "vitest";
import { initialSale, mayPay, panelOf, saleReducer, type SaleEvent, type SaleState } from "./machine";
import type { PaymentState, PaymentView, PhonePayment, SaleView } from "../ipc";

const view = (state: PaymentState, id = 7, payAt: PaymentView["payAt"] = "counter"): PaymentView => ({
  id,
  orderId: "S-1",
  invoice: "C1-1",
  state,
  amountPoisha: 250_00,
  paymentID: "TR0011",
  trxID: state === "completed" ? "BKH123" : null,
  maskedWallet: null,
  reason: null,
  bkashMessage: null,
  counterId: "C1",
  payAt,
  statusPolls: 0,
  createdAt: "2026-11-25T09:00:00Z",
  settledAt: null,
});

const tea = { code: null, name: "Tea", quantity: 2, unitPoisha: 125_00 };
const run = (events: SaleEvent[], from: SaleState = initialSale("S-1")): SaleState => events.reduce(saleReducer, from);
const withTea = () => run([{ type: "line_added", line: tea, notice: null }]);
const sent = (payment: PaymentView, phone: PhonePayment | null = null): SaleEvent => ({
  type: "pay_sent",
  payment,
  phone,
  lines: [tea],
  totalPoisha: 250_00,
});
const cashSale: SaleView = {
  orderId: "S-1",
  lines: [tea],
  totalPoisha: 250_00,
  tender: "cash",
  cash: { tenderedPoisha: 300_00, changePoisha: 50_00, at: "2026-11-25T09:00:00Z" },
  payment: null,
};

describe("the sale's state machine", () => {
  it("starts ringing up with nothing paid, and a line added is selected", () => {
    const sale = withTea();
    expect(sale.phase).toEqual({ kind: "ringing_up", last: null });
    expect(sale.lines).toEqual([{ ...tea, id: 1 }]);
    expect(sale.selected).toBe(1);
    expect(panelOf(sale.phase, true, false)).toEqual({ kind: "idle", canPay: true, canCancel: false, locked: false });
  });

  it("goes from Pay to paying by bKash, and to paid on the journal's word", () => {
    let sale = run([{ type: "pay_pressed", place: "counter" }], withTea());
    expect(sale.phase.kind).toBe("sending");
    expect(panelOf(sale.phase, true, false).canPay).toBe(false);
    sale = run([sent(view("awaiting_customer"))], sale);
    expect(sale.phase.kind).toBe("paying_bkash");
    expect(sale.journaled?.lines).toEqual([tea]);
    expect(panelOf(sale.phase, true, false)).toMatchObject({ kind: "waiting", canCancel: true, locked: true });
    sale = run([{ type: "payment_changed", payment: view("executing") }], sale);
    expect(panelOf(sale.phase, true, false)).toMatchObject({ kind: "executing", canCancel: false });
    sale = run([{ type: "payment_changed", payment: view("completed") }], sale);
    expect(sale.phase).toMatchObject({ kind: "paid", payment: { trxID: "BKH123" } });
  });

  it("puts a phone payment on the phone with its QR code", () => {
    const phone = { payment: view("awaiting_customer", 7, "phone") } as PhonePayment;
    const sale = run([{ type: "pay_pressed", place: "phone" }, sent(phone.payment, phone)], withTea());
    expect(sale.phase).toEqual({ kind: "on_the_phone", payment: phone.payment, phone });
    expect(panelOf(sale.phase, true, false).kind).toBe("waiting");
  });

  it("keeps a payment whose outcome is unknown checking, never payable again, until bKash's word", () => {
    let sale = run([{ type: "pay_pressed", place: "counter" }, sent(view("executing")), { type: "payment_changed", payment: view("unknown") }], withTea());
    expect(sale.phase.kind).toBe("checking");
    expect(panelOf(sale.phase, true, false)).toMatchObject({ canPay: false, locked: true });
    expect(mayPay(sale, true, false, false)).toBe(false);
    expect(run([{ type: "line_removed", id: 1 }], sale).lines).toHaveLength(1);
    sale = run([{ type: "payment_changed", payment: view("not_charged") }], sale);
    expect(sale.phase).toMatchObject({ kind: "ringing_up", last: { state: "not_charged" } });
    expect(mayPay(sale, true, false, false)).toBe(true);
  });

  it("gives a failed or cancelled payment's sale back to the cashier, who may change it and pay again", () => {
    const sale = run([{ type: "pay_pressed", place: "counter" }, sent(view("awaiting_customer")), { type: "payment_changed", payment: view("cancelled") }], withTea());
    expect(sale.phase).toMatchObject({ kind: "ringing_up", last: { state: "cancelled" } });
    expect(panelOf(sale.phase, true, false)).toEqual({ kind: "cancelled", canPay: true, canCancel: false, locked: false });
    expect(run([{ type: "quantity_set", id: 1, quantity: 3 }], sale).lines[0]!.quantity).toBe(3);
  });

  it("asks before a second payment of an amount still being checked, and pays only on the yes", () => {
    let sale = run([{ type: "pay_pressed", place: "counter" }, { type: "pay_refused", error: "still being checked", sameAmountChecking: true }], withTea());
    expect(sale.phase).toEqual({ kind: "confirm_again", place: "counter", last: null });
    expect(sale.error).toBe("still being checked");
    expect(mayPay(sale, true, false, false)).toBe(false);
    expect(mayPay(sale, true, false, true)).toBe(true);
    expect(run([{ type: "dismissed" }], sale).phase).toEqual({ kind: "ringing_up", last: null });
    sale = run([{ type: "pay_pressed", place: "counter" }], sale);
    expect(sale.phase.kind).toBe("sending");
    expect(sale.error).toBeNull();
  });

  it("returns to ringing up with the reason when Pay is refused for another cause", () => {
    const sale = run([{ type: "pay_pressed", place: "counter" }, { type: "pay_refused", error: "payments stopped", sameAmountChecking: false }], withTea());
    expect(sale.phase).toEqual({ kind: "ringing_up", last: null });
    expect(sale.error).toBe("payments stopped");
  });

  it("opens cash, keeps it open on a short tender, and closes the sale once cash is taken", () => {
    let sale = run([{ type: "cash_opened" }], withTea());
    expect(sale.phase.kind).toBe("cash");
    expect(mayPay(sale, true, false, false)).toBe(false);
    sale = run([{ type: "cash_refused", error: "short", sameAmountChecking: false, tenderedPoisha: 100_00 }], sale);
    expect(sale.phase.kind).toBe("cash");
    sale = run([{ type: "cash_taken", sale: cashSale }], sale);
    expect(sale.phase).toEqual({ kind: "paid_cash", sale: cashSale });
    expect(panelOf(sale.phase, true, false)).toMatchObject({ canPay: false, canCancel: false, locked: true });
    expect(run([{ type: "line_added", line: tea, notice: null }], sale).lines).toHaveLength(1);
  });

  it("holds cash handed over while the same amount is checked until the cashier confirms", () => {
    const sale = run([{ type: "cash_opened" }, { type: "cash_refused", error: "checked", sameAmountChecking: true, tenderedPoisha: 300_00 }], withTea());
    expect(sale.phase).toEqual({ kind: "confirm_cash_again", tenderedPoisha: 300_00, last: null });
    expect(mayPay(sale, true, false, true)).toBe(true);
    expect(run([{ type: "cash_taken", sale: cashSale }], sale).phase.kind).toBe("paid_cash");
    expect(run([{ type: "dismissed" }], sale).phase.kind).toBe("ringing_up");
  });

  it("closes an open cash panel when payments stop", () => {
    expect(run([{ type: "cash_opened" }, { type: "payments_stopped" }], withTea()).phase.kind).toBe("ringing_up");
  });

  it("ignores the journal's word on another counter's or an earlier sale's payment", () => {
    const sale = run([{ type: "pay_pressed", place: "counter" }, sent(view("awaiting_customer", 7))], withTea());
    expect(run([{ type: "payment_changed", payment: view("completed", 8) }], sale)).toBe(sale);
  });

  it("reopens the sale the counter was on, with its payment's outcome", () => {
    const restored = run([{ type: "restored", sale: { ...cashSale, cash: null, payment: view("unknown") }, notice: "reopened" }]);
    expect(restored.phase.kind).toBe("checking");
    expect(restored.lines).toEqual([{ ...tea, id: 1 }]);
    expect(restored.notice).toBe("reopened");
    const paidInCash = run([{ type: "restored", sale: cashSale, notice: "reopened" }]);
    expect(paidInCash.phase.kind).toBe("paid_cash");
  });

  it("starts a new sale empty, with a new order number", () => {
    const sale = run([{ type: "cash_opened" }, { type: "cash_taken", sale: cashSale }, { type: "new_sale", orderId: "S-2" }], withTea());
    expect(sale).toEqual(initialSale("S-2"));
  });
});
