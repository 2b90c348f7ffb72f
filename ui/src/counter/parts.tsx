// The counter's payment panel, piece by piece: the question asked before a
// second payment of an amount still being checked, the pay buttons' words,
// the customer's QR code, the payment's status and the cash panel.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { amountErrorText, formatBdt, parseAmount } from "../money";
import { digits, reasonText, t } from "../i18n";
import { phoneQrShown, type PayAt, type PaymentView, type PhonePayment } from "../ipc";
import type { PanelKind } from "../sale";

/** A new payment (bKash or cash) while one of the same amount is still being
 * checked: taken only on this deliberate yes, or Esc / *Go back*. */
export function ConfirmAgain({ id, yes, onYes, onBack }: { id: "pay" | "cash"; yes: string; onYes: () => void; onBack: () => void }) {
  return (
    <div class="confirm-again" data-testid={id === "pay" ? "confirm-again" : "confirm-cash-again"}>
      <button type="button" class="secondary" onClick={onYes} data-testid={`${id}-anyway`}>
        {yes}
      </button>
      <button type="button" class="secondary" onClick={onBack} data-testid={`${id}-go-back`}>
        {t("cashier.goBack")}
      </button>
    </div>
  );
}

/** The pay buttons' words: a Checkout shop keeps its one "Pay with bKash". */
export function payLabel(place: PayAt, key: string, phoneOffered: boolean, first: boolean): string {
  if (!phoneOffered) return first ? t("cashier.pay") : t("cashier.tryAgain");
  return place === "phone" ? t("cashier.payOnPhone", { key }) : t("cashier.payHere", { key });
}

/** The QR code of bKash's page, large, with the amount and invoice beside it
 * and the time the code has left. Drawn as one SVG path (`qr::QrImage`). */
export function PhoneQr({ phone }: { phone: PhonePayment }) {
  const [left, setLeft] = useState(phone.timeoutSecs);
  // After the frame that paints it: the code is on the screen.
  useLayoutEffect(() => {
    requestAnimationFrame(() => void phoneQrShown(phone.payment.id).catch(() => undefined));
  }, [phone]);
  useEffect(() => {
    const started = Date.now();
    const tick = setInterval(() => setLeft(Math.max(0, phone.timeoutSecs - Math.floor((Date.now() - started) / 1000))), 1000);
    return () => clearInterval(tick);
  }, [phone]);
  const minutes = Math.floor(left / 60);
  const seconds = String(left % 60).padStart(2, "0");
  return (
    <section class="phone-qr" data-testid="phone-qr" aria-label={t("phone.label")}>
      <svg viewBox={`0 0 ${phone.qr.size} ${phone.qr.size}`} role="img" aria-label={t("phone.label")} shape-rendering="crispEdges" data-testid="phone-qr-code">
        <rect width={phone.qr.size} height={phone.qr.size} fill="#fff" />
        <path d={phone.qr.path} fill="#000" />
      </svg>
      <div class="phone-qr-facts">
        <div class="phone-qr-amount" data-testid="phone-qr-amount">
          {formatBdt(phone.payment.amountPoisha)}
        </div>
        <div class="mono">{t("phone.invoice", { invoice: phone.payment.invoice })}</div>
        <p>{t("phone.scan")}</p>
        <p class="hint">{t("phone.askedBkash")}</p>
        <p class="hint" data-testid="phone-qr-left">
          {t("phone.timeLeft", { time: `${digits(String(minutes))}:${digits(seconds)}` })}
        </p>
      </div>
    </section>
  );
}

export function PaymentStatus({ payment, kind }: { payment: PaymentView | null; kind: PanelKind }) {
  if (!payment) return null;
  const texts: Record<typeof kind, string> = {
    idle: "",
    starting: t("status.starting"),
    waiting: payment.payAt === "phone" ? t("status.waitingPhone") : t("status.waiting"),
    executing: t("status.executing"),
    paid: t("status.paid"),
    failed: t("status.failed"),
    cancelled: payment.state === "not_charged" ? t("status.notCharged") : t("status.cancelled"),
    checking: t("status.checking"),
  };
  return (
    <div class={`status status-${kind}`} role="status" data-testid="payment-status">
      <strong data-testid="payment-status-title">{texts[kind]}</strong>
      {payment.reason && kind !== "paid" && <p data-testid="payment-reason">{reasonText(payment)}</p>}
      {kind === "checking" && <p>{t("cashier.noRepay")}</p>}
    </div>
  );
}

/** The cash panel: the amount handed over, the change due as it is typed,
 * Enter takes it, Esc closes. */
export function CashTender({ total, onTake, onClose }: { total: number; onTake: (poisha: number) => void; onClose: () => void }) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  // F10 and type: the field takes the keys at once (the autofocus attribute
  // only acts on page load, not on a panel that appears later).
  // Focused in the same commit that shows the panel (a layout effect): a
  // cashier typing straight after F10 loses no key to the item field.
  const field = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => field.current?.focus(), []);
  const parsed = parseAmount(text);
  const change = parsed.ok && parsed.poisha >= total ? parsed.poisha - total : null;
  const take = (event: Event) => {
    event.preventDefault();
    if (!parsed.ok) {
      setError(amountErrorText(parsed.error));
      return;
    }
    if (parsed.poisha < total) {
      setError(t("till.cashShort", { total: formatBdt(total) }));
      return;
    }
    onTake(parsed.poisha);
  };
  return (
    <form class="cash-tender" onSubmit={take} data-testid="cash-tender" aria-label={t("till.cashTitle")}>
      <strong>{t("till.cashTitle")}</strong>
      <label>
        {t("till.tendered")}
        <input
          ref={field}
          value={text}
          inputMode="decimal"
          onInput={(e) => {
            setText(e.currentTarget.value);
            setError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              e.preventDefault();
              onClose();
            }
          }}
          aria-invalid={error !== null}
          data-testid="cash-tendered"
        />
      </label>
      <div class="change-line">
        <span>{t("till.changeDue")}</span>
        <strong data-testid="cash-change">{change === null ? "—" : formatBdt(change)}</strong>
      </div>
      {error && (
        <p class="pay-error" role="alert" data-testid="cash-error">
          {error}
        </p>
      )}
      <div class="confirm-again">
        <button type="submit" class="pay-button" data-testid="take-cash">
          {t("till.takeCash")}
        </button>
        <button type="button" class="secondary" onClick={onClose} data-testid="cash-close">
          {t("cashier.goBack")}
        </button>
      </div>
    </form>
  );
}
