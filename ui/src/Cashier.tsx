import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { amountErrorText, formatBdt, MAX_PAYMENT_POISHA, parseAmount } from "./money";
import { digits, errorText, isCommandError, reasonText, t } from "./i18n";
import { lineTotal, MAX_ITEM_NAME, orderTotal, parseQuantity, payable, type OrderLine } from "./order";
import { cancelPayment, cashierReady, onPayment, pay, payOnPhone, phoneQrShown, type AppInfo, type PayAt, type PaymentView, type PhonePayment } from "./ipc";
import { formatTime, newOrderId, panelFor } from "./sale";
import { PrintReceipt } from "./PrintReceipt";

/** The cashier's counter: ring up lines, see the total in BDT, take bKash. */
export function Cashier({ info }: { info: AppInfo }) {
  const [lines, setLines] = useState<OrderLine[]>([]);
  const [name, setName] = useState("");
  const [quantity, setQuantity] = useState("1");
  const [price, setPrice] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [orderId, setOrderId] = useState(() => newOrderId());
  const [payment, setPayment] = useState<PaymentView | null>(null);
  // The QR code of bKash's page while the customer pays on their phone.
  const [phone, setPhone] = useState<PhonePayment | null>(null);
  const [payError, setPayError] = useState<string | null>(null);
  // A payment of this amount is still being checked: pay again only on purpose.
  const [confirmAgain, setConfirmAgain] = useState<PayAt | null>(null);
  const [busy, setBusy] = useState(false);
  const nextId = useRef(1);
  const nameInput = useRef<HTMLInputElement>(null);
  const newSaleButton = useRef<HTMLButtonElement>(null);

  const total = orderTotal(lines);
  // F9 pays where the shop chose; F8 the other place. Only Tokenized's page
  // opens on a phone, so a Checkout (iFrame) shop has the counter alone.
  const phoneOffered = info.product === "tokenized";
  const primary: PayAt = phoneOffered ? info.payAt : "counter";
  const secondary: PayAt | null = phoneOffered ? (primary === "phone" ? "counter" : "phone") : null;
  const panel = panelFor(payment, payable(lines), info.paymentsStopped !== null);

  // The journal's word on the current payment, as it changes.
  const current = useRef<number | null>(null);
  current.current = payment?.id ?? null;
  useEffect(() => {
    const unlisten = onPayment((view) => {
      if (view.id === current.current) setPayment(view);
    });
    return () => void unlisten.then((stop) => stop());
  }, []);

  // The first render is in the page with the item field ready for typing:
  // the launch benchmark's "interactive" mark (a local log line), and the
  // cue for the journal's full integrity check to start.
  useLayoutEffect(() => {
    if (nameInput.current) void cashierReady().catch(() => undefined);
  }, []);

  useEffect(() => {
    if (panel.kind === "paid" || panel.kind === "checking") newSaleButton.current?.focus();
  }, [panel.kind]);

  const startPayment = async (place: PayAt, anyway = false) => {
    if (!panel.canPay || busy) return;
    setBusy(true);
    setPayError(null);
    setConfirmAgain(null);
    try {
      if (place === "phone") {
        const shown = await payOnPhone(orderId, total, anyway);
        setPhone(shown);
        setPayment(shown.payment);
      } else {
        setPhone(null);
        setPayment(await pay(orderId, total, anyway));
      }
    } catch (e) {
      setPayError(errorText(e));
      if (isCommandError(e) && e.code === "same_amount_checking") setConfirmAgain(place);
    } finally {
      setBusy(false);
    }
  };

  const stopPayment = async () => {
    if (!panel.canCancel) return;
    try {
      const view = await cancelPayment();
      if (view) setPayment(view);
    } catch (e) {
      setPayError(errorText(e));
    }
  };

  const newSale = () => {
    setLines([]);
    setPayment(null);
    setPhone(null);
    setPayError(null);
    setOrderId(newOrderId());
    nameInput.current?.focus();
  };

  // Keyboard: F9 pays where the shop chose, F8 the other place (Tokenized),
  // Esc cancels before the customer confirms.
  const dismiss = () => {
    setConfirmAgain(null);
    setPayError(null);
  };
  const keys = useRef({ startPayment, stopPayment, primary, secondary, confirmAgain, dismiss });
  keys.current = { startPayment, stopPayment, primary, secondary, confirmAgain, dismiss };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "F9") {
        event.preventDefault();
        void keys.current.startPayment(keys.current.primary);
      } else if (event.key === "F8") {
        event.preventDefault();
        const other = keys.current.secondary;
        if (other) void keys.current.startPayment(other);
      } else if (event.key === "Escape" && keys.current.confirmAgain) {
        keys.current.dismiss();
      } else if (event.key === "Escape") {
        void keys.current.stopPayment();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const addLine = (event: Event) => {
    event.preventDefault();
    if (panel.locked) return;
    const qty = parseQuantity(quantity);
    if (qty === null) {
      setFieldError(t("cashier.badQty"));
      return;
    }
    const amount = parseAmount(price);
    if (!amount.ok) {
      setFieldError(amountErrorText(amount.error));
      return;
    }
    const label = name.trim().slice(0, MAX_ITEM_NAME) || t("cashier.defaultItem");
    setLines([...lines, { id: nextId.current++, name: label, quantity: qty, unitPoisha: amount.poisha }]);
    setName("");
    setQuantity("1");
    setPrice("");
    setFieldError(null);
    nameInput.current?.focus();
  };

  const removeLine = (id: number) => setLines(lines.filter((line) => line.id !== id));

  return (
    <main class="cashier" data-testid="cashier-screen">
      <section class="entry" aria-label={t("aria.ringUp")}>
        <h1>{t("cashier.title")}</h1>
        <form onSubmit={addLine} class="line-form">
          <fieldset disabled={panel.locked}>
            <label>
              {t("cashier.item")}
              <input ref={nameInput} value={name} maxLength={MAX_ITEM_NAME} onInput={(e) => setName(e.currentTarget.value)} autoFocus placeholder={t("cashier.itemPlaceholder")} data-testid="item-name" />
            </label>
            <label>
              {t("cashier.qty")}
              <input value={quantity} onInput={(e) => setQuantity(e.currentTarget.value)} inputMode="numeric" class="qty" data-testid="item-qty" />
            </label>
            <label>
              {t("cashier.price")}
              <input
                value={price}
                onInput={(e) => setPrice(e.currentTarget.value)}
                inputMode="decimal"
                placeholder="0.00"
                aria-invalid={fieldError !== null}
                aria-describedby="line-error"
                data-testid="item-price"
              />
            </label>
            <button type="submit" data-testid="add-line">
              {t("cashier.add")}
            </button>
          </fieldset>
        </form>
        <p id="line-error" class="field-error" role="alert" data-testid="line-error">
          {fieldError ?? ""}
        </p>
        <table class="lines" data-testid="order-lines">
          <thead>
            <tr>
              <th>{t("cashier.item")}</th>
              <th class="num">{t("cashier.qty")}</th>
              <th class="num">{t("cashier.price")}</th>
              <th class="num">{t("cashier.amount")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={line.id}>
                <td class="item-name">{line.name}</td>
                <td class="num">{digits(String(line.quantity))}</td>
                <td class="num">{formatBdt(line.unitPoisha)}</td>
                <td class="num">{formatBdt(lineTotal(line))}</td>
                <td>
                  <button type="button" class="link" disabled={panel.locked} onClick={() => removeLine(line.id)} aria-label={t("cashier.removeLabel", { name: line.name })}>
                    {t("cashier.remove")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <aside class="pay" aria-label={t("aria.payment")} data-testid="pay-panel" data-state={panel.kind}>
        <div class="total-label">{t("cashier.total")}</div>
        <div class="total" data-testid="order-total">
          {formatBdt(total)}
        </div>
        {(panel.kind === "idle" || panel.kind === "failed" || panel.kind === "cancelled") &&
          [primary, secondary].map(
            (place, i) =>
              place && (
                <button
                  key={place}
                  type="button"
                  class={i === 0 ? "pay-button" : "pay-button pay-other"}
                  disabled={!panel.canPay || busy}
                  onClick={() => void startPayment(place)}
                  data-testid={place === "phone" ? "pay-phone" : "pay-bkash"}
                >
                  {payLabel(place, i === 0 ? "F9" : "F8", phoneOffered, panel.kind === "idle")}
                </button>
              ),
          )}
        {!phoneOffered && panel.kind === "idle" && (
          <p class="hint note" data-testid="phone-not-offered">
            {t("cashier.phoneNeedsTokenized")}
          </p>
        )}
        {phone && payment?.id === phone.payment.id && panel.kind === "waiting" && <PhoneQr phone={phone} />}
        <PaymentStatus payment={payment} kind={panel.kind} />
        {panel.canCancel && (
          <button type="button" class="secondary" onClick={() => void stopPayment()} data-testid="cancel-payment">
            {t("cashier.cancel")}
          </button>
        )}
        {payError && (
          <p class="pay-error" role="alert" data-testid="pay-error">
            {payError}
          </p>
        )}
        {confirmAgain && (
          <div class="confirm-again" data-testid="confirm-again">
            <button type="button" class="secondary" onClick={() => void startPayment(confirmAgain, true)} data-testid="pay-anyway">
              {t("cashier.payAnyway")}
            </button>
            <button type="button" class="secondary" onClick={dismiss} data-testid="pay-go-back">
              {t("cashier.goBack")}
            </button>
          </div>
        )}
        {panel.kind === "paid" && payment && <Receipt payment={payment} info={info} auto />}
        {(panel.kind === "paid" || panel.kind === "checking" || panel.kind === "failed" || panel.kind === "cancelled") && (
          <button type="button" ref={newSaleButton} class="secondary" onClick={newSale} data-testid="new-sale">
            {t("cashier.newSale")}
          </button>
        )}
        {panel.kind === "idle" && !payable(lines) && (
          <p class="hint" data-testid="pay-hint">
            {total > MAX_PAYMENT_POISHA ? t("cashier.overLimit") : t("cashier.minimum")}
          </p>
        )}
      </aside>
    </main>
  );
}

/** The pay buttons' words: a Checkout shop keeps its one "Pay with bKash". */
function payLabel(place: PayAt, key: string, phoneOffered: boolean, first: boolean): string {
  if (!phoneOffered) return first ? t("cashier.pay") : t("cashier.tryAgain");
  return place === "phone" ? t("cashier.payOnPhone", { key }) : t("cashier.payHere", { key });
}

/** The QR code of bKash's page, large, with the amount and invoice beside it
 * and the time the code has left. Drawn as one SVG path (`qr::QrImage`). */
function PhoneQr({ phone }: { phone: PhonePayment }) {
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

function PaymentStatus({ payment, kind }: { payment: PaymentView | null; kind: ReturnType<typeof panelFor>["kind"] }) {
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

/** A paid sale's receipt, on screen and (print style) on paper; `auto`
 * prints it by itself when the shop has a printer that does that. */
export function Receipt({ payment, info, auto = false }: { payment: PaymentView; info: AppInfo; auto?: boolean }) {
  return (
    <section class="receipt" aria-label={t("receipt.label")} data-testid="receipt">
      <h2>{info.shopName}</h2>
      {info.environment !== "production" && <p class="receipt-training">{t("receipt.notReal", { environment: info.environment.toUpperCase() })}</p>}
      <dl>
        <dt>{t("receipt.amount")}</dt>
        <dd data-testid="receipt-amount">{formatBdt(payment.amountPoisha)}</dd>
        <dt>{t("receipt.trx")}</dt>
        <dd data-testid="receipt-trxid">{payment.trxID}</dd>
        <dt>{t("receipt.wallet")}</dt>
        <dd data-testid="receipt-wallet">{payment.maskedWallet ?? "—"}</dd>
        <dt>{t("receipt.time")}</dt>
        <dd data-testid="receipt-time">{formatTime(payment.settledAt ?? payment.createdAt)}</dd>
        <dt>{t("receipt.invoice")}</dt>
        <dd class="mono">{payment.invoice}</dd>
        <dt>{t("receipt.counter")}</dt>
        <dd>{payment.counterId ?? info.counterId}</dd>
      </dl>
      <PrintReceipt paymentId={payment.id} auto={auto} />
    </section>
  );
}
