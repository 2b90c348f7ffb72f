import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { amountErrorText, formatBdt, MAX_PAYMENT_POISHA, parseAmount } from "./money";
import { currentChoice, digits, errorText, isCommandError, reasonText, t } from "./i18n";
import { lineTotal, MAX_ITEM_NAME, orderTotal, parseQuantity, payable, saleLines, withQuantity, type OrderLine } from "./order";
import {
  cancelPayment,
  cashierReady,
  catalogue,
  finishSale,
  onCatalogueChanged,
  onPayment,
  pay,
  payCash,
  payOnPhone,
  phoneQrShown,
  unfinishedSale,
  type AppInfo,
  type CatalogueItem,
  type PayAt,
  type PaymentView,
  type PhonePayment,
  type SaleView,
} from "./ipc";
import { formatTime, newOrderId, panelFor } from "./sale";
import { PrintReceipt } from "./PrintReceipt";
import { CatalogueIndex, itemName } from "./catalogue";
import { ScanDetector } from "./scanner";

/** The cashier's counter: ring up lines (catalogue, scanner or free text),
 * see the total in BDT, take bKash or cash. */
export function Cashier({ info, shown = true }: { info: AppInfo; shown?: boolean }) {
  const [lines, setLines] = useState<OrderLine[]>([]);
  // The line + / − / Delete act on (with the item field empty): the last added by default.
  const [selected, setSelected] = useState<number | null>(null);
  const [index, setIndex] = useState(() => new CatalogueIndex([]));
  const [highlight, setHighlight] = useState(0);
  const scanner = useRef(new ScanDetector());
  const [notice, setNotice] = useState<string | null>(null);
  // Cash: the tender panel while open, then the paid sale.
  const [cashOpen, setCashOpen] = useState(false);
  const [cashSale, setCashSale] = useState<SaleView | null>(null);
  // The sale's lines as journaled, for the receipt (bKash and cash alike).
  const [journaled, setJournaled] = useState<SaleView | null>(null);
  const [name, setName] = useState("");
  const [quantity, setQuantity] = useState("1");
  const [price, setPrice] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  // Which field the error is about: only a bad price marks the price field.
  const [priceInvalid, setPriceInvalid] = useState(false);
  const [orderId, setOrderId] = useState(() => newOrderId());
  const [payment, setPayment] = useState<PaymentView | null>(null);
  // The QR code of bKash's page while the customer pays on their phone.
  const [phone, setPhone] = useState<PhonePayment | null>(null);
  const [payError, setPayError] = useState<string | null>(null);
  // A payment of this amount is still being checked: pay again only on purpose.
  const [confirmAgain, setConfirmAgain] = useState<PayAt | null>(null);
  // Cash handed over while a bKash payment of the same amount is still being
  // checked: held until the cashier confirms, as a second bKash payment is.
  const [cashAgain, setCashAgain] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const nextId = useRef(1);
  const nameInput = useRef<HTMLInputElement>(null);
  const newSaleButton = useRef<HTMLButtonElement>(null);

  const total = orderTotal(lines);
  const matches = useMemo(() => index.search(name), [index, name]);
  // F9 pays where the shop chose; F8 the other place. Only Tokenized's page
  // opens on a phone, so a Checkout (iFrame) shop has the counter alone.
  const phoneOffered = info.product === "tokenized";
  const primary: PayAt = phoneOffered ? info.payAt : "counter";
  const secondary: PayAt | null = phoneOffered ? (primary === "phone" ? "counter" : "phone") : null;
  const payPanel = panelFor(payment, payable(lines), info.paymentsStopped !== null);
  // A sale paid in cash is closed: nothing more can be paid or changed.
  const panel = cashSale ? { ...payPanel, canPay: false, canCancel: false, locked: true } : payPanel;
  const canCash = panel.canPay && !cashOpen;
  // Payments stopped (the journal locked by another program, say): an open
  // cash panel closes, since the cash could not be recorded.
  useEffect(() => {
    if (info.paymentsStopped) setCashOpen(false);
  }, [info.paymentsStopped]);

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

  useLayoutEffect(() => {
    if (panel.kind === "paid" || panel.kind === "checking" || cashSale) newSaleButton.current?.focus();
  }, [panel.kind, cashSale]);
  // Back at the counter (from the manager's screens or the first-run setup),
  // the keys go to the item field.
  const wasShown = useRef(shown);
  useLayoutEffect(() => {
    if (shown && !wasShown.current && !panel.locked) nameInput.current?.focus();
    wasShown.current = shown;
  }, [shown]);
  // A new sale starts in the item field (focused after the render that
  // enables it; the field is still disabled while the last sale shows).
  const firstSale = useRef(true);
  useLayoutEffect(() => {
    if (firstSale.current) {
      firstSale.current = false;
      return;
    }
    nameInput.current?.focus();
  }, [orderId]);

  // The catalogue, once; and the sale this counter was on when the app
  // stopped, reopened with its lines and its payment's outcome.
  useEffect(() => {
    const load = () =>
      void catalogue()
        .then((items) => setIndex(new CatalogueIndex(items)))
        .catch(() => undefined);
    load();
    const unlisten = onCatalogueChanged(load);
    void unfinishedSale()
      .then((sale) => {
        if (!sale) return;
        setLines(sale.lines.map((line) => ({ ...line, id: nextId.current++ })));
        setOrderId(sale.orderId);
        setJournaled(sale);
        if (sale.cash) setCashSale(sale);
        else if (sale.payment) setPayment(sale.payment);
        setNotice(t("till.restored"));
      })
      .catch(() => undefined);
    return () => void unlisten.then((stop) => stop());
  }, []);

  const startPayment = async (place: PayAt, anyway = false) => {
    if (!panel.canPay || busy) return;
    setBusy(true);
    setPayError(null);
    setConfirmAgain(null);
    try {
      const sent = saleLines(lines);
      if (place === "phone") {
        const shown = await payOnPhone(orderId, sent, anyway);
        setPhone(shown);
        setPayment(shown.payment);
      } else {
        setPhone(null);
        setPayment(await pay(orderId, sent, anyway));
      }
      setJournaled({ orderId, lines: sent, totalPoisha: total, tender: null, cash: null, payment: null });
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

  const takeCash = async (tenderedPoisha: number, anyway = false) => {
    setPayError(null);
    setCashAgain(null);
    try {
      const sale = await payCash(orderId, saleLines(lines), tenderedPoisha, anyway);
      setCashSale(sale);
      setJournaled(sale);
      setCashOpen(false);
    } catch (e) {
      setPayError(errorText(e));
      if (isCommandError(e) && e.code === "same_amount_checking") {
        setCashOpen(false);
        setCashAgain(tenderedPoisha);
      }
    }
  };

  const newSale = () => {
    // The finished sale no longer reopens after a restart; if the journal
    // cannot say so now, the cashier is told (it may reopen once).
    void finishSale(orderId).catch((e) => setNotice(errorText(e)));
    setLines([]);
    setSelected(null);
    setPayment(null);
    setPhone(null);
    setPayError(null);
    setCashSale(null);
    setCashOpen(false);
    setJournaled(null);
    setNotice(null);
    setOrderId(newOrderId());
    nameInput.current?.focus();
  };

  // Keyboard: F9 pays where the shop chose, F8 the other place (Tokenized),
  // Esc cancels before the customer confirms.
  const dismiss = () => {
    setConfirmAgain(null);
    setCashAgain(null);
    setPayError(null);
  };
  const openCash = () => {
    if (!canCash) return;
    setPayError(null);
    setCashOpen(true);
  };
  const keys = useRef({ startPayment, stopPayment, primary, secondary, confirmAgain: confirmAgain !== null || cashAgain !== null, dismiss, openCash, cashOpen, typeInItem: (_: string) => {} });
  keys.current = {
    startPayment,
    stopPayment,
    primary,
    secondary,
    confirmAgain: confirmAgain !== null || cashAgain !== null,
    dismiss,
    openCash,
    cashOpen,
    // A scanner read while no field has focus: its characters go to the item field.
    typeInItem: (key: string) => {
      if (panel.locked || cashOpen) return;
      scanner.current.key(performance.now(), key);
      setName((text) => text + key);
      nameInput.current?.focus();
    },
  };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // A hidden counter (the manager's screens, the first-run setup) takes no keys.
      if (nameInput.current && nameInput.current.offsetParent === null) return;
      const target = event.target as HTMLElement | null;
      const inField = target !== null && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
      if (event.key === "F10") {
        event.preventDefault();
        keys.current.openCash();
      } else if (event.key === "Escape" && keys.current.cashOpen) {
        // The cash panel closes itself.
      } else if (!inField && event.key.length === 1 && /[0-9A-Za-z]/.test(event.key) && !event.ctrlKey && !event.altKey && !event.metaKey) {
        if (target?.closest(".manager, .settings, dialog")) return;
        event.preventDefault();
        keys.current.typeInItem(event.key);
      } else if (event.key === "F9") {
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

  /** Adds `qty` of a catalogue product; the same product again adds to its line. */
  const addProduct = (item: CatalogueItem, qty: number) => {
    const existing = lines.find((line) => line.code === item.code && line.unitPoisha === item.pricePoisha);
    if (existing) {
      setLines(lines.map((line) => (line === existing ? withQuantity(line, line.quantity + qty) : line)));
      setSelected(existing.id);
    } else {
      const id = nextId.current++;
      const label = itemName(item, currentChoice().lang).slice(0, MAX_ITEM_NAME);
      setLines([...lines, { id, code: item.code, name: label, quantity: qty, unitPoisha: item.pricePoisha }]);
      setSelected(id);
    }
    setNotice(t("till.added", { name: itemName(item, currentChoice().lang) }));
  };

  const clearEntry = () => {
    setPriceInvalid(false);
    setName("");
    setQuantity("1");
    setPrice("");
    setHighlight(0);
    scanner.current.reset();
    nameInput.current?.focus();
  };

  const addLine = (event: Event) => {
    event.preventDefault();
    if (panel.locked) return;
    const qty = parseQuantity(quantity);
    if (qty === null) {
      setFieldError(t("cashier.badQty"));
      return;
    }
    const typed = name.trim();
    const scanned = scanner.current.scanned();
    // A code the scanner read, or one typed exactly, is that product.
    const exact = typed === "" ? undefined : index.exact(typed);
    if (exact || scanned) {
      if (exact) {
        addProduct(exact, qty);
        setFieldError(null);
      } else {
        setFieldError(t("till.unknownCode", { code: typed }));
      }
      clearEntry();
      return;
    }
    // No price typed: the highlighted match of the catalogue.
    const picked = price.trim() === "" ? matches[highlight] : undefined;
    if (picked) {
      addProduct(picked, qty);
      setFieldError(null);
      clearEntry();
      return;
    }
    const amount = parseAmount(price);
    if (!amount.ok) {
      setFieldError(amountErrorText(amount.error));
      setPriceInvalid(true);
      return;
    }
    setPriceInvalid(false);
    const label = name.trim().slice(0, MAX_ITEM_NAME) || t("cashier.defaultItem");
    const id = nextId.current++;
    setLines([...lines, { id, code: null, name: label, quantity: qty, unitPoisha: amount.poisha }]);
    setSelected(id);
    setFieldError(null);
    setNotice(null);
    clearEntry();
  };

  const removeLine = (id: number) => {
    const left = lines.filter((line) => line.id !== id);
    setLines(left);
    setSelected(left.length ? left[left.length - 1]!.id : null);
  };

  /** The item field's own keys: the match list, and with the field empty,
   * the selected line's quantity (+ / −), removal (Delete) and choice (↑ / ↓). */
  const itemKey = (event: KeyboardEvent) => {
    if (event.key.length === 1) scanner.current.key(performance.now(), event.key);
    if (matches.length > 0 && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setHighlight((h) => (h + step + matches.length) % matches.length);
      return;
    }
    if (name !== "" || panel.locked || lines.length === 0) return;
    const current = lines.find((line) => line.id === selected) ?? lines[lines.length - 1]!;
    const at = lines.indexOf(current);
    if (event.key === "+" || event.key === "-") {
      event.preventDefault();
      const next = current.quantity + (event.key === "+" ? 1 : -1);
      if (next < 1) return;
      if (parseQuantity(String(next)) === null) return;
      setLines(lines.map((line) => (line === current ? withQuantity(line, next) : line)));
      setSelected(current.id);
    } else if (event.key === "Delete") {
      event.preventDefault();
      removeLine(current.id);
    } else if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      event.preventDefault();
      const to = Math.min(lines.length - 1, Math.max(0, at + (event.key === "ArrowUp" ? -1 : 1)));
      setSelected(lines[to]!.id);
    }
  };

  return (
    <main class="cashier" data-testid="cashier-screen">
      <section class="entry" aria-label={t("aria.ringUp")}>
        <h1>{t("cashier.title")}</h1>
        <form onSubmit={addLine} class="line-form">
          <fieldset disabled={panel.locked}>
            <label>
              {t("cashier.item")}
              <input
                ref={nameInput}
                value={name}
                maxLength={MAX_ITEM_NAME}
                onInput={(e) => {
                  setName(e.currentTarget.value);
                  setHighlight(0);
                  if (e.currentTarget.value === "") scanner.current.reset();
                }}
                onKeyDown={itemKey}
                autoFocus
                placeholder={index.size > 0 ? t("till.search") : t("cashier.itemPlaceholder")}
                role="combobox"
                aria-expanded={matches.length > 0}
                aria-controls="item-matches"
                aria-activedescendant={matches.length > 0 ? `match-${highlight}` : undefined}
                data-testid="item-name"
              />
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
                aria-invalid={priceInvalid}
                aria-describedby="line-error"
                data-testid="item-price"
              />
            </label>
            <button type="submit" data-testid="add-line">
              {t("cashier.add")}
            </button>
          </fieldset>
        </form>
        {matches.length > 0 && !panel.locked && (
          <ul class="item-matches" id="item-matches" role="listbox" data-testid="item-matches">
            {matches.map((item, i) => (
              <li
                key={item.code}
                id={`match-${i}`}
                role="option"
                aria-selected={i === highlight}
                class={i === highlight ? "match selected" : "match"}
                onMouseDown={(e) => {
                  e.preventDefault();
                  const qty = parseQuantity(quantity) ?? 1;
                  addProduct(item, qty);
                  clearEntry();
                }}
                data-testid="item-match"
              >
                <span class="mono match-code">{item.code}</span>
                <span class="match-name">{itemName(item, currentChoice().lang)}</span>
                <span class="num">{formatBdt(item.pricePoisha)}</span>
              </li>
            ))}
          </ul>
        )}
        <p id="line-error" class="field-error" role="alert" data-testid="line-error">
          {fieldError ?? ""}
        </p>
        {notice && (
          <p class="hint" role="status" data-testid="till-notice">
            {notice}
          </p>
        )}
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
              <tr key={line.id} class={line.id === selected ? "selected" : undefined} data-testid="order-line" data-code={line.code ?? ""}>
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
        {lines.length > 0 && !panel.locked && <p class="hint">{t("till.qtyHint")}</p>}
      </section>
      <aside class="pay" aria-label={t("aria.payment")} data-testid="pay-panel" data-state={panel.kind}>
        <div class="total-label">{t("cashier.total")}</div>
        <div class="total" data-testid="order-total">
          {formatBdt(total)}
        </div>
        {(panel.kind === "idle" || panel.kind === "failed" || panel.kind === "cancelled") &&
          !cashSale &&
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
        {(panel.kind === "idle" || panel.kind === "failed" || panel.kind === "cancelled") && !cashSale && !cashOpen && (
          <button type="button" class="pay-button pay-cash" disabled={!canCash || busy} onClick={openCash} data-testid="pay-cash">
            {t("till.cash")}
          </button>
        )}
        {cashOpen && <CashTender total={total} onTake={(p) => void takeCash(p)} onClose={() => (setCashOpen(false), nameInput.current?.focus())} />}
        {cashSale?.cash && (
          <div class="status status-paid" role="status" data-testid="cash-paid">
            <strong data-testid="payment-status-title">{t("till.paidCash")}</strong>
            <p class="change-due" data-testid="change-due">
              {t("till.changeToGive", { change: formatBdt(cashSale.cash.changePoisha) })}
            </p>
          </div>
        )}
        {cashSale && <Receipt sale={cashSale} info={info} auto />}
        {!phoneOffered && panel.kind === "idle" && !cashSale && (
          <p class="hint note" data-testid="phone-not-offered">
            {t("cashier.phoneNeedsTokenized")}
          </p>
        )}
        {phone && payment?.id === phone.payment.id && panel.kind === "waiting" && <PhoneQr phone={phone} />}
        {!cashSale && <PaymentStatus payment={payment} kind={panel.kind} />}
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
        {cashAgain !== null && <ConfirmAgain id="cash" yes={t("till.cashAnyway")} onYes={() => void takeCash(cashAgain, true)} onBack={dismiss} />}
        {confirmAgain && <ConfirmAgain id="pay" yes={t("cashier.payAnyway")} onYes={() => void startPayment(confirmAgain, true)} onBack={dismiss} />}
        {panel.kind === "paid" && payment && !cashSale && <Receipt payment={payment} sale={journaled} info={info} auto />}
        {(panel.kind === "paid" || panel.kind === "checking" || panel.kind === "failed" || panel.kind === "cancelled" || cashSale) && (
          <button type="button" ref={newSaleButton} class="secondary" onClick={newSale} data-testid="new-sale">
            {t("cashier.newSale")}
          </button>
        )}
        {panel.kind === "idle" && !payable(lines) && !cashSale && (
          <p class="hint" data-testid="pay-hint">
            {total > MAX_PAYMENT_POISHA ? t("cashier.overLimit") : t("cashier.minimum")}
          </p>
        )}
      </aside>
    </main>
  );
}

/** A new payment (bKash or cash) while one of the same amount is still being
 * checked: taken only on this deliberate yes, or Esc / *Go back*. */
function ConfirmAgain({ id, yes, onYes, onBack }: { id: "pay" | "cash"; yes: string; onYes: () => void; onBack: () => void }) {
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

/** The cash panel: the amount handed over, the change due as it is typed,
 * Enter takes it, Esc closes. */
function CashTender({ total, onTake, onClose }: { total: number; onTake: (poisha: number) => void; onClose: () => void }) {
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

/** A paid sale's receipt, on screen and (print style) on paper: its items
 * when the till kept them, the total, and how it was paid (bKash's trxID
 * and masked wallet, or the cash handed over and the change). `auto` prints
 * it by itself when the shop has a printer that does that. */
export function Receipt({ payment, sale, info, auto = false }: { payment?: PaymentView | null; sale?: SaleView | null; info: AppInfo; auto?: boolean }) {
  const cash = sale?.cash ?? null;
  const amount = payment?.amountPoisha ?? sale?.totalPoisha ?? 0;
  const lines = sale?.lines ?? [];
  const time = cash ? cash.at : (payment?.settledAt ?? payment?.createdAt ?? "");
  return (
    <section class="receipt" aria-label={t("receipt.label")} data-testid="receipt">
      <h2>{info.shopName}</h2>
      {info.environment !== "production" && <p class="receipt-training">{t("receipt.notReal", { environment: info.environment.toUpperCase() })}</p>}
      {lines.length > 0 && (
        <table class="receipt-items" data-testid="receipt-items">
          <tbody>
            {lines.map((line, i) => (
              <tr key={i} data-testid="receipt-item">
                <td>{line.quantity === 1 ? line.name : `${digits(String(line.quantity))} × ${line.name}`}</td>
                <td class="num">{formatBdt(line.quantity * line.unitPoisha)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <dl>
        <dt>{t("receipt.amount")}</dt>
        <dd data-testid="receipt-amount">{formatBdt(amount)}</dd>
        {cash ? (
          <>
            <dt>{t("receipt.cash")}</dt>
            <dd data-testid="receipt-cash">{formatBdt(cash.tenderedPoisha)}</dd>
            <dt>{t("receipt.change")}</dt>
            <dd data-testid="receipt-change">{formatBdt(cash.changePoisha)}</dd>
          </>
        ) : (
          <>
            <dt>{t("receipt.trx")}</dt>
            <dd data-testid="receipt-trxid">{payment?.trxID}</dd>
            <dt>{t("receipt.wallet")}</dt>
            <dd data-testid="receipt-wallet">{payment?.maskedWallet ?? "—"}</dd>
          </>
        )}
        <dt>{t("receipt.time")}</dt>
        <dd data-testid="receipt-time">{time ? formatTime(time) : "—"}</dd>
        <dt>{cash ? t("receipt.sale") : t("receipt.invoice")}</dt>
        <dd class="mono">{cash ? sale?.orderId : payment?.invoice}</dd>
        <dt>{t("receipt.counter")}</dt>
        <dd>{payment?.counterId ?? info.counterId}</dd>
      </dl>
      {payment ? <PrintReceipt of={{ payment: payment.id }} auto={auto} /> : sale && <PrintReceipt of={{ cashSale: sale.orderId }} auto={auto} />}
    </section>
  );
}
