// The counter's sale as an explicit state machine: one reducer, named
// phases, and the transitions between them. Pure, so every transition is
// tested without a webview (machine.test.ts); the screen (Cashier.tsx)
// renders the state and dispatches what the cashier and the journal did.
import type { PayAt, PaymentView, PhonePayment, SaleLine, SaleView } from "../ipc";
import { panelFor, type Panel } from "../sale";
import { withQuantity, type OrderLine } from "../order";

/** Where the sale is. Each phase carries what it shows. */
export type Phase =
  /** Lines may change and the sale may be paid. `last` is an earlier
   * payment of this order that failed or was cancelled: shown, and the
   * reason the buttons say "try again". */
  | { kind: "ringing_up"; last: PaymentView | null }
  /** Pay was pressed: the sale and its payment are being journaled. */
  | { kind: "sending"; place: PayAt; last: PaymentView | null }
  /** A payment of this amount is still being checked: paying again waits
   * for the cashier's deliberate yes. */
  | { kind: "confirm_again"; place: PayAt; last: PaymentView | null }
  /** The customer pays in bKash's window at the counter. */
  | { kind: "paying_bkash"; payment: PaymentView }
  /** The customer pays on their own phone, from the QR code. */
  | { kind: "on_the_phone"; payment: PaymentView; phone: PhonePayment | null }
  /** The cash panel is open. */
  | { kind: "cash"; last: PaymentView | null }
  /** Cash handed over while a bKash payment of the same amount is checked. */
  | { kind: "confirm_cash_again"; tenderedPoisha: number; last: PaymentView | null }
  /** bKash took the money. */
  | { kind: "paid"; payment: PaymentView }
  /** Paid in cash: the sale is closed. */
  | { kind: "paid_cash"; sale: SaleView }
  /** Execute's outcome is being checked with bKash: never paid again. */
  | { kind: "checking"; payment: PaymentView };

export type PhaseKind = Phase["kind"];

export interface SaleState {
  orderId: string;
  lines: OrderLine[];
  /** The line + / − / Delete act on: the last added by default. */
  selected: number | null;
  phase: Phase;
  /** The sale's lines as journaled, for the receipt (bKash and cash alike). */
  journaled: SaleView | null;
  /** Why the last Pay or cash was refused, in the shop's language. */
  error: string | null;
  notice: string | null;
  /** The id the next line gets. */
  nextLine: number;
}

export type SaleEvent =
  | { type: "line_added"; line: Omit<OrderLine, "id">; notice: string | null }
  | { type: "quantity_added"; id: number; by: number; notice: string | null }
  | { type: "quantity_set"; id: number; quantity: number }
  | { type: "line_removed"; id: number }
  | { type: "line_selected"; id: number }
  | { type: "pay_pressed"; place: PayAt }
  | { type: "pay_sent"; payment: PaymentView; phone: PhonePayment | null; lines: SaleLine[]; totalPoisha: number }
  | { type: "pay_refused"; error: string; sameAmountChecking: boolean }
  | { type: "payment_changed"; payment: PaymentView }
  | { type: "cancel_refused"; error: string }
  | { type: "cash_opened" }
  | { type: "cash_closed" }
  | { type: "cash_taken"; sale: SaleView }
  | { type: "cash_refused"; error: string; sameAmountChecking: boolean; tenderedPoisha: number }
  | { type: "dismissed" }
  | { type: "payments_stopped" }
  | { type: "restored"; sale: SaleView; notice: string }
  | { type: "noticed"; notice: string | null }
  | { type: "new_sale"; orderId: string };

export function initialSale(orderId: string): SaleState {
  return { orderId, lines: [], selected: null, phase: { kind: "ringing_up", last: null }, journaled: null, error: null, notice: null, nextLine: 1 };
}

/** The payment the phase is about (the live one, or the last that ended). */
export function paymentOf(phase: Phase): PaymentView | null {
  switch (phase.kind) {
    case "paying_bkash":
    case "on_the_phone":
    case "paid":
    case "checking":
      return phase.payment;
    case "paid_cash":
      return null;
    default:
      return phase.last;
  }
}

/** The phase a payment's state puts the sale in. A payment that ended
 * without taking money gives the sale back to the cashier. */
export function phaseFor(payment: PaymentView, phone: PhonePayment | null): Phase {
  switch (payment.state) {
    case "completed":
      return { kind: "paid", payment };
    case "unknown":
      return { kind: "checking", payment };
    case "failed":
    case "cancelled":
    case "not_charged":
      return { kind: "ringing_up", last: payment };
    default:
      return payment.payAt === "phone" ? { kind: "on_the_phone", payment, phone } : { kind: "paying_bkash", payment };
  }
}

/** Lines may change only while no money can be on its way for this order. */
export function editable(phase: Phase): boolean {
  return phase.kind === "ringing_up";
}

/** What the payment panel shows and allows, for the phase. */
export function panelOf(phase: Phase, payable: boolean, paymentsStopped: boolean): Panel {
  if (phase.kind === "paid_cash") return { ...panelFor(null, payable, paymentsStopped), canPay: false, canCancel: false, locked: true };
  const panel = panelFor(paymentOf(phase), payable, paymentsStopped);
  // While Pay is being journaled, or the cashier is asked, nothing else starts.
  return phase.kind === "ringing_up" ? panel : { ...panel, canPay: false };
}

export function saleReducer(state: SaleState, event: SaleEvent): SaleState {
  const { phase } = state;
  switch (event.type) {
    case "line_added": {
      if (!editable(phase)) return state;
      const id = state.nextLine;
      return { ...state, lines: [...state.lines, { ...event.line, id }], selected: id, nextLine: id + 1, notice: event.notice };
    }
    case "quantity_added": {
      if (!editable(phase)) return state;
      const lines = state.lines.map((line) => (line.id === event.id ? withQuantity(line, line.quantity + event.by) : line));
      return { ...state, lines, selected: event.id, notice: event.notice };
    }
    case "quantity_set": {
      if (!editable(phase) || event.quantity < 1) return state;
      const lines = state.lines.map((line) => (line.id === event.id ? withQuantity(line, event.quantity) : line));
      return { ...state, lines, selected: event.id };
    }
    case "line_removed": {
      if (!editable(phase)) return state;
      const lines = state.lines.filter((line) => line.id !== event.id);
      return { ...state, lines, selected: lines.length ? lines[lines.length - 1]!.id : null };
    }
    case "line_selected":
      return editable(phase) ? { ...state, selected: event.id } : state;
    case "pay_pressed":
      if (phase.kind !== "ringing_up" && phase.kind !== "confirm_again") return state;
      return { ...state, phase: { kind: "sending", place: event.place, last: phase.last }, error: null };
    case "pay_sent":
      if (phase.kind !== "sending") return state;
      return {
        ...state,
        phase: phaseFor(event.payment, event.phone),
        journaled: { orderId: state.orderId, lines: event.lines, totalPoisha: event.totalPoisha, tender: null, cash: null, payment: null },
      };
    case "pay_refused":
      if (phase.kind !== "sending") return state;
      return {
        ...state,
        phase: event.sameAmountChecking ? { kind: "confirm_again", place: phase.place, last: phase.last } : { kind: "ringing_up", last: phase.last },
        error: event.error,
      };
    case "payment_changed": {
      const current = paymentOf(phase);
      if (!current || current.id !== event.payment.id) return state;
      const phone = phase.kind === "on_the_phone" ? phase.phone : null;
      // An ended payment stays ended: a late event cannot reopen it.
      if (phase.kind === "ringing_up" || phase.kind === "cash" || phase.kind === "confirm_cash_again") return { ...state, phase: { ...phase, last: event.payment } };
      if (phase.kind === "sending" || phase.kind === "confirm_again") return { ...state, phase: { ...phase, last: event.payment } };
      return { ...state, phase: phaseFor(event.payment, phone) };
    }
    case "cancel_refused":
      return { ...state, error: event.error };
    case "cash_opened":
      if (phase.kind !== "ringing_up") return state;
      return { ...state, phase: { kind: "cash", last: phase.last }, error: null };
    case "cash_closed":
      if (phase.kind !== "cash") return state;
      return { ...state, phase: { kind: "ringing_up", last: phase.last } };
    case "cash_taken":
      if (phase.kind !== "cash" && phase.kind !== "confirm_cash_again") return state;
      return { ...state, phase: { kind: "paid_cash", sale: event.sale }, journaled: event.sale, error: null };
    case "cash_refused":
      if (phase.kind !== "cash" && phase.kind !== "confirm_cash_again") return state;
      return {
        ...state,
        phase: event.sameAmountChecking
          ? { kind: "confirm_cash_again", tenderedPoisha: event.tenderedPoisha, last: phase.last }
          : phase.kind === "cash"
            ? phase
            : { kind: "ringing_up", last: phase.last },
        error: event.error,
      };
    case "dismissed":
      if (phase.kind === "confirm_again" || phase.kind === "confirm_cash_again") return { ...state, phase: { kind: "ringing_up", last: phase.last }, error: null };
      return { ...state, error: null };
    case "payments_stopped":
      // Cash could not be recorded now: an open cash panel closes.
      return phase.kind === "cash" ? { ...state, phase: { kind: "ringing_up", last: phase.last } } : state;
    case "restored": {
      const { sale } = event;
      const lines = sale.lines.map((line, i) => ({ ...line, id: i + 1 }));
      const restored: Phase = sale.cash ? { kind: "paid_cash", sale } : sale.payment ? phaseFor(sale.payment, null) : { kind: "ringing_up", last: null };
      return { ...state, orderId: sale.orderId, lines, selected: null, nextLine: lines.length + 1, phase: restored, journaled: sale, notice: event.notice };
    }
    case "noticed":
      return { ...state, notice: event.notice };
    case "new_sale":
      return initialSale(event.orderId);
  }
}

/** May a payment (bKash or cash) start now? From the cashier's deliberate
 * yes after "a payment of this amount is still being checked" too. */
export function mayPay(state: SaleState, payable: boolean, paymentsStopped: boolean, anyway: boolean): boolean {
  const { phase } = state;
  const asked = phase.kind === "confirm_again" || phase.kind === "confirm_cash_again";
  if (asked) return anyway && payable && !paymentsStopped;
  return panelOf(phase, payable, paymentsStopped).canPay;
}
