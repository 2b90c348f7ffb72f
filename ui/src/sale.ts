// What the cashier's payment panel shows for the sale's current payment, and
// which actions are open. Pure, so every state is tested without a webview.
import type { PaymentState, PaymentView } from "./ipc";

export type PanelKind = "idle" | "starting" | "waiting" | "executing" | "paid" | "failed" | "cancelled" | "checking";

export interface Panel {
  kind: PanelKind;
  /** Pay with bKash (F9) may start a payment now. */
  canPay: boolean;
  /** The cashier may cancel (Esc): execute has not been sent. */
  canCancel: boolean;
  /** Lines cannot change: money may be on its way for this order. */
  locked: boolean;
}

const KIND: Record<PaymentState, PanelKind> = {
  new: "starting",
  creating: "starting",
  awaiting_customer: "waiting",
  executing: "executing",
  completed: "paid",
  failed: "failed",
  unknown: "checking",
  cancelled: "cancelled",
  not_charged: "cancelled",
};

export function panelFor(payment: PaymentView | null, payable: boolean, paymentsStopped: boolean): Panel {
  const kind: PanelKind = payment ? KIND[payment.state] : "idle";
  const retryable = kind === "idle" || kind === "failed" || kind === "cancelled";
  return {
    kind,
    canPay: retryable && payable && !paymentsStopped,
    canCancel: kind === "starting" || kind === "waiting",
    locked: !retryable,
  };
}

/** A fresh order number: letters, digits and dashes, as the core requires. */
export function newOrderId(now: Date = new Date(), random: () => number = Math.random): string {
  const stamp = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const suffix = Array.from({ length: 4 }, () => "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"[Math.floor(random() * 32)]).join("");
  return `S-${stamp}-${suffix}`;
}

/** "2026-11-25T09:01:02Z" → "25 Nov 2026, 15:01" in Bangladesh time. */
export function formatTime(rfc3339: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Dhaka",
    day: "2-digit",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  }).format(new Date(rfc3339));
}
