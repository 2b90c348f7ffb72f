import { useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from "preact/hooks";
import { amountErrorText, formatBdt, MAX_PAYMENT_POISHA, parseAmount } from "./money";
import { currentChoice, digits, errorText, isCommandError, t } from "./i18n";
import { lineTotal, MAX_ITEM_NAME, orderTotal, parseQuantity, payable, saleLines } from "./order";
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
  unfinishedSale,
  type AppInfo,
  type CatalogueItem,
  type PayAt,
} from "./ipc";
import { newOrderId } from "./sale";
import { CatalogueIndex, itemName } from "./catalogue";
import { ScanDetector } from "./scanner";
import { Receipt } from "./Receipt";
import { initialSale, mayPay, panelOf, paymentOf, saleReducer } from "./counter/machine";
import { useCounterKeys } from "./counter/keys";
import { CashTender, ConfirmAgain, payLabel, PaymentStatus, PhoneQr } from "./counter/parts";

/** The cashier's counter: ring up lines (catalogue, scanner or free text),
 * see the total in BDT, take bKash or cash. */
export function Cashier({ info, shown = true }: { info: AppInfo; shown?: boolean }) {
  const [sale, dispatch] = useReducer(saleReducer, undefined, () => initialSale(newOrderId()));
  const { lines, selected, phase, orderId } = sale;
  const [index, setIndex] = useState(() => new CatalogueIndex([]));
  const [highlight, setHighlight] = useState(0);
  const scanner = useRef(new ScanDetector());
  const [name, setName] = useState("");
  const [quantity, setQuantity] = useState("1");
  const [price, setPrice] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  // Which field the error is about: only a bad price marks the price field.
  const [priceInvalid, setPriceInvalid] = useState(false);
  const nameInput = useRef<HTMLInputElement>(null);
  const newSaleButton = useRef<HTMLButtonElement>(null);

  const total = orderTotal(lines);
  const matches = useMemo(() => index.search(name), [index, name]);
  // F9 pays where the shop chose; F8 the other place. Only Tokenized's page
  // opens on a phone, so a Checkout (iFrame) shop has the counter alone.
  const phoneOffered = info.product === "tokenized";
  const primary: PayAt = phoneOffered ? info.payAt : "counter";
  const secondary: PayAt | null = phoneOffered ? (primary === "phone" ? "counter" : "phone") : null;
  const stopped = info.paymentsStopped !== null;
  const panel = panelOf(phase, payable(lines), stopped);
  const payment = paymentOf(phase);
  const cashSale = phase.kind === "paid_cash" ? phase.sale : null;
  const cashOpen = phase.kind === "cash";
  // Payments stopped (the journal locked by another program, say): an open
  // cash panel closes, since the cash could not be recorded.
  useEffect(() => {
    if (info.paymentsStopped) dispatch({ type: "payments_stopped" });
  }, [info.paymentsStopped]);

  // The journal's word on the current payment, as it changes.
  useEffect(() => {
    const unlisten = onPayment((view) => dispatch({ type: "payment_changed", payment: view }));
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
      .then((restored) => restored && dispatch({ type: "restored", sale: restored, notice: t("till.restored") }))
      .catch(() => undefined);
    return () => void unlisten.then((stop) => stop());
  }, []);

  const startPayment = async (place: PayAt, anyway = false) => {
    if (!mayPay(sale, payable(lines), stopped, anyway)) return;
    dispatch({ type: "pay_pressed", place });
    const sent = saleLines(lines);
    try {
      if (place === "phone") {
        const shown = await payOnPhone(orderId, sent, anyway);
        dispatch({ type: "pay_sent", payment: shown.payment, phone: shown, lines: sent, totalPoisha: total });
      } else {
        dispatch({ type: "pay_sent", payment: await pay(orderId, sent, anyway), phone: null, lines: sent, totalPoisha: total });
      }
    } catch (e) {
      dispatch({ type: "pay_refused", error: errorText(e), sameAmountChecking: isCommandError(e) && e.code === "same_amount_checking" });
    }
  };

  const stopPayment = async () => {
    if (!panel.canCancel) return;
    try {
      const view = await cancelPayment();
      if (view) dispatch({ type: "payment_changed", payment: view });
    } catch (e) {
      dispatch({ type: "cancel_refused", error: errorText(e) });
    }
  };

  const takeCash = async (tenderedPoisha: number, anyway = false) => {
    try {
      dispatch({ type: "cash_taken", sale: await payCash(orderId, saleLines(lines), tenderedPoisha, anyway) });
    } catch (e) {
      const sameAmountChecking = isCommandError(e) && e.code === "same_amount_checking";
      dispatch({ type: "cash_refused", error: errorText(e), sameAmountChecking, tenderedPoisha });
    }
  };

  const newSale = () => {
    // The finished sale no longer reopens after a restart; if the journal
    // cannot say so now, the cashier is told (it may reopen once).
    void finishSale(orderId).catch((e) => dispatch({ type: "noticed", notice: errorText(e) }));
    dispatch({ type: "new_sale", orderId: newOrderId() });
    nameInput.current?.focus();
  };

  const openCash = () => {
    if (!mayPay(sale, payable(lines), stopped, false)) return;
    dispatch({ type: "cash_opened" });
  };
  useCounterKeys({
    hidden: () => nameInput.current !== null && nameInput.current.offsetParent === null,
    primary,
    secondary,
    asking: phase.kind === "confirm_again" || phase.kind === "confirm_cash_again",
    cashOpen,
    pay: (place) => void startPayment(place),
    openCash,
    cancel: () => void stopPayment(),
    dismiss: () => dispatch({ type: "dismissed" }),
    // A scanner read while no field has focus: its characters go to the item field.
    typeInItem: (key: string) => {
      if (panel.locked || cashOpen) return;
      scanner.current.key(performance.now(), key);
      setName((text) => text + key);
      nameInput.current?.focus();
    },
  });

  /** Adds `qty` of a catalogue product; the same product again adds to its line. */
  const addProduct = (item: CatalogueItem, qty: number) => {
    const notice = t("till.added", { name: itemName(item, currentChoice().lang) });
    const existing = lines.find((line) => line.code === item.code && line.unitPoisha === item.pricePoisha);
    if (existing) {
      dispatch({ type: "quantity_added", id: existing.id, by: qty, notice });
    } else {
      const label = itemName(item, currentChoice().lang).slice(0, MAX_ITEM_NAME);
      dispatch({ type: "line_added", line: { code: item.code, name: label, quantity: qty, unitPoisha: item.pricePoisha }, notice });
    }
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
    dispatch({ type: "line_added", line: { code: null, name: label, quantity: qty, unitPoisha: amount.poisha }, notice: null });
    setFieldError(null);
    clearEntry();
  };

  const removeLine = (id: number) => dispatch({ type: "line_removed", id });

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
      dispatch({ type: "quantity_set", id: current.id, quantity: next });
    } else if (event.key === "Delete") {
      event.preventDefault();
      removeLine(current.id);
    } else if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      event.preventDefault();
      const to = Math.min(lines.length - 1, Math.max(0, at + (event.key === "ArrowUp" ? -1 : 1)));
      dispatch({ type: "line_selected", id: lines[to]!.id });
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
        {sale.notice && (
          <p class="hint" role="status" data-testid="till-notice">
            {sale.notice}
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
                  disabled={!panel.canPay}
                  onClick={() => void startPayment(place)}
                  data-testid={place === "phone" ? "pay-phone" : "pay-bkash"}
                >
                  {payLabel(place, i === 0 ? "F9" : "F8", phoneOffered, panel.kind === "idle")}
                </button>
              ),
          )}
        {(panel.kind === "idle" || panel.kind === "failed" || panel.kind === "cancelled") && !cashSale && !cashOpen && (
          <button type="button" class="pay-button pay-cash" disabled={!panel.canPay} onClick={openCash} data-testid="pay-cash">
            {t("till.cash")}
          </button>
        )}
        {cashOpen && <CashTender total={total} onTake={(p) => void takeCash(p)} onClose={() => (dispatch({ type: "cash_closed" }), nameInput.current?.focus())} />}
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
        {phase.kind === "on_the_phone" && phase.phone && panel.kind === "waiting" && <PhoneQr phone={phase.phone} />}
        {!cashSale && <PaymentStatus payment={payment} kind={panel.kind} />}
        {panel.canCancel && (
          <button type="button" class="secondary" onClick={() => void stopPayment()} data-testid="cancel-payment">
            {t("cashier.cancel")}
          </button>
        )}
        {sale.error && (
          <p class="pay-error" role="alert" data-testid="pay-error">
            {sale.error}
          </p>
        )}
        {phase.kind === "confirm_cash_again" && (
          <ConfirmAgain id="cash" yes={t("till.cashAnyway")} onYes={() => void takeCash(phase.tenderedPoisha, true)} onBack={() => dispatch({ type: "dismissed" })} />
        )}
        {phase.kind === "confirm_again" && (
          <ConfirmAgain id="pay" yes={t("cashier.payAnyway")} onYes={() => void startPayment(phase.place, true)} onBack={() => dispatch({ type: "dismissed" })} />
        )}
        {phase.kind === "paid" && <Receipt payment={phase.payment} sale={sale.journaled} info={info} auto />}
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

