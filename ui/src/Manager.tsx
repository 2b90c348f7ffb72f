import { useContext, useEffect, useState } from "preact/hooks";
import {
  checkPayment,
  checkRefund,
  dayView,
  managerChangePin,
  paymentHistory,
  refundPayment,
  resolvePayment,
  saleOf,
  type DayPage,
  type SaleView,
  type History,
  type PaymentState,
} from "./ipc";
import { formatBdt } from "./money";
import { errorText, formatCount, type Key, t } from "./i18n";
import { formatTime } from "./sale";
import { HourlyChart } from "./HourlyChart";
import { EndOfDayReport } from "./EndOfDay";
import { ManagerGate } from "./ManagerGate";
import { Receipt } from "./Receipt";
import { AppInfoContext } from "./PrintReceipt";
import { Drawers, Shifts, TopItems } from "./TillDay";
import { StaffAdmin } from "./StaffAdmin";
import { CatalogueAdmin } from "./CatalogueAdmin";
import { StoreDay } from "./StoreDay";
import { DayTiles, EventList, Pager, RefundForm, refundOutcome, StateFilter, UnknownPaymentActions, useDayPage } from "./DayParts";

/** Today in Dhaka as `YYYY-MM-DD` (the date input's format). Bangladesh is
 * UTC+06:00 all year, so no locale's date pattern is involved. */
export function bangladeshToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 6 * 3600 * 1000).toISOString().slice(0, 10);
}


/** The manager's view: behind the PIN, the day's payments, totals and refunds. */
/** The manager's day, behind the PIN. Loaded only when the manager opens it,
 * so the counter starts without the chart library and these screens. */
export function Manager() {
  return <ManagerGate>{(lock, expired) => <DayView onLocked={lock} onExpired={expired} />}</ManagerGate>;
}

function DayView({ onLocked, onExpired }: { onLocked: () => void; onExpired: () => void }) {
  const [date, setDate] = useState(bangladeshToday());
  const [state, setState] = useState<PaymentState | "">("");
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(0);
  const [selected, setSelected] = useState<number | null>(null);
  const [reload, setReload] = useState(0);
  const [showEod, setShowEod] = useState(false);
  const [showPin, setShowPin] = useState(false);
  const [showCatalogue, setShowCatalogue] = useState(false);
  const [showStaff, setShowStaff] = useState(false);
  const info = useContext(AppInfoContext);
  // A counter in a store shows the whole store's day (from the store's
  // database) or its own (from its journal).
  const [showStore, setShowStore] = useState(Boolean(info?.storeId));

  const [day, error] = useDayPage<DayPage>(dayView, { date, state: state || null, search: search || null, page }, reload, onExpired);

  const s = day?.summary;
  return (
    <section class="manager" data-testid="manager-day">
      <header class="manager-bar">
        <h1>{t("day.title")}</h1>
        <input type="date" value={date} onInput={(e) => {
            // A cleared or half-typed date is no day: the day shown stays.
            const picked = e.currentTarget.value;
            if (picked) (setDate(picked), setPage(0));
          }} aria-label={t("day.date")} data-testid="day-date" />
        <StateFilter value={state} hidden={showStore} onChange={(st) => (setState(st), setPage(0))} testid="day-state" />
        <input
          type="search"
          hidden={showStore}
          value={search}
          onInput={(e) => (setSearch(e.currentTarget.value), setPage(0))}
          placeholder={t("day.searchPlaceholder")}
          aria-label={t("day.search")}
          data-testid="day-search"
        />
        {info?.storeId && (
          <button type="button" aria-pressed={showStore} onClick={() => setShowStore(!showStore)} data-testid="manager-store">
            {t("store.view")}
          </button>
        )}
        <button type="button" aria-pressed={showEod} onClick={() => setShowEod(!showEod)} data-testid="manager-eod">
          {t("day.eod")}
        </button>
        <button type="button" aria-pressed={showCatalogue} onClick={() => setShowCatalogue(!showCatalogue)} data-testid="manager-catalogue">
          {t("manager.catalogue")}
        </button>
        <button type="button" aria-pressed={showStaff} onClick={() => setShowStaff(!showStaff)} data-testid="manager-staff">
          {t("staff.title")}
        </button>
        <button type="button" aria-pressed={showPin} onClick={() => setShowPin(!showPin)} data-testid="manager-change-pin">
          {t("pin.change")}
        </button>
        <button type="button" onClick={onLocked} data-testid="manager-lock">
          {t("day.lock")}
        </button>
      </header>
      {showPin && <ChangePin />}
      {showCatalogue && <CatalogueAdmin />}
      {showStaff && <StaffAdmin />}
      {showEod && <EndOfDayReport date={date} />}
      {showStore && info?.storeId && <StoreDay date={date} storeId={info.storeId} onExpired={onExpired} />}
      {!showStore && error && (
        <p class="field-error" role="alert" data-testid="day-error">
          {error}
        </p>
      )}
      {!showStore && s && (
        <DayTiles summary={s} testid="day-totals" prefix="total" outcomes />
      )}
      {!showStore && day && <HourlyChart hourlyPoisha={day.hourlyPoisha} />}
      {!showStore && day && (
        <section class="till-day" aria-label={t("till.title")} data-testid="till-day">
          <Shifts shifts={day.till?.shifts ?? []} />
          <Drawers till={day.till} />
          <TopItems items={day.till?.topItems ?? []} />
        </section>
      )}
      <table class="lines day-list" data-testid="day-list" hidden={showStore}>
        <thead>
          <tr>
            <th>{t("day.time")}</th>
            <th class="num">{t("day.amount")}</th>
            <th>{t("day.state")}</th>
            <th>{t("day.invoice")}</th>
            <th>paymentID</th>
            <th>trxID</th>
            <th>{t("day.wallet")}</th>
          </tr>
        </thead>
        <tbody>
          {day?.rows.map((row) => (
            <tr key={row.id} class={selected === row.id ? "selected" : ""} onClick={() => setSelected(row.id)} data-testid="day-row">
              <td>
                {/* A button, so a row opens from the keyboard too. */}
                <button type="button" class="link" onClick={() => setSelected(row.id)} data-testid="day-row-open">
                  {formatTime(row.createdAt)}
                </button>
              </td>
              <td class="num">{formatBdt(row.amountPoisha)}</td>
              <td>{t(`state.${row.state}` as Key)}</td>
              <td class="mono">{row.invoice}</td>
              <td class="mono">{row.paymentID ?? ""}</td>
              <td class="mono">{row.trxID ?? ""}</td>
              <td>{row.maskedWallet ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!showStore && day && <Pager at={day} onPage={setPage} prefix="page" />}
      {!showStore && selected !== null && <Details id={selected} onChanged={() => setReload(reload + 1)} />}
    </section>
  );
}

function ChangePin() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const change = async (event: Event) => {
    event.preventDefault();
    try {
      await managerChangePin(current, next);
      setMessage(t("pin.changed"));
    } catch (e) {
      setMessage(errorText(e));
    }
    setCurrent("");
    setNext("");
  };
  return (
    <form class="refund-form" onSubmit={(e) => void change(e)} data-testid="change-pin-form">
      <input type="password" inputMode="numeric" autoComplete="off" value={current} onInput={(e) => setCurrent(e.currentTarget.value)} placeholder={t("pin.current")} aria-label={t("pin.current")} data-testid="pin-current" />
      <input type="password" inputMode="numeric" autoComplete="off" value={next} onInput={(e) => setNext(e.currentTarget.value)} placeholder={t("pin.new")} aria-label={t("pin.new")} data-testid="pin-new" />
      <button type="submit" data-testid="pin-change-submit">
        {t("pin.change")}
      </button>
      {message && (
        <p role="status" data-testid="pin-change-message">
          {message}
        </p>
      )}
    </form>
  );
}

function Details({ id, onChanged }: { id: number; onChanged: () => void }) {
  const info = useContext(AppInfoContext);
  const [history, setHistory] = useState<History | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [sale, setSale] = useState<SaleView | null>(null);
  const load = () =>
    paymentHistory(id).then(
      (h) => {
        setHistory(h);
        // The sale's items, when the till kept them (payments before it have none).
        void saleOf(h.payment.orderId).then(setSale, () => setSale(null));
      },
      (e: unknown) => setMessage(errorText(e)),
    );
  useEffect(() => {
    setMessage(null);
    void load();
  }, [id]);
  if (!history) return null;
  const p = history.payment;

  const recheckRefund = async (refund: number) => {
    try {
      const done = await checkRefund(id, refund);
      setMessage(refundOutcome(done));
      await load();
      onChanged();
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  return (
    <aside class="details" aria-label={t("details.label")} data-testid="payment-details">
      <h2>
        {formatBdt(p.amountPoisha)} · {t(`state.${p.state}` as Key)}
      </h2>
      <p class="mono">
        {p.invoice} · {p.paymentID ?? t("details.noPaymentId")} · {p.trxID ?? t("details.noTrx")}
      </p>
      {p.payAt === "phone" && <p data-testid="paid-on-phone">{t("details.paidOnPhone", { count: p.statusPolls })}</p>}
      {/* Reprint: the receipt as the counter printed it (a CUPS printer prints this card). */}
      {p.state === "completed" && info && <Receipt payment={p} sale={sale?.orderId === p.orderId ? sale : null} info={info} />}
      {p.state !== "completed" && sale?.orderId === p.orderId && sale.lines.length > 0 && (
        <table class="receipt-items" data-testid="details-items">
          <tbody>
            {sale.lines.map((line, i) => (
              <tr key={i}>
                <td>{line.quantity === 1 ? line.name : `${formatCount(line.quantity)} × ${line.name}`}</td>
                <td class="num">{formatBdt(line.quantity * line.unitPoisha)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.state === "unknown" && (
        <UnknownPaymentActions
          prefix=""
          check={async () => {
            const view = await checkPayment(id);
            return view.state === "unknown" ? t("details.stillChecking") : t("details.bkashSays", { state: t(`state.${view.state}` as Key) });
          }}
          resolve={async (trxID, reason) => {
            const outcome = await resolvePayment({ id, trxID, reason });
            return outcome.verified ? t("details.verified", { trx: outcome.payment.trxID ?? "" }) : t("details.unverified");
          }}
          onDone={async () => {
            await load();
            onChanged();
          }}
          onMessage={setMessage}
        />
      )}
      <h3>{t("details.history")}</h3>
      <EventList events={history.events} payment={p} testid="payment-events" />
      {history.refunds.length > 0 && (
        <>
          <h3>{t("details.refunds")}</h3>
          <ul data-testid="payment-refunds">
            {history.refunds.map((r) => (
              <li key={r.id} data-testid="refund-entry" data-state={r.state}>
                {formatBdt(r.amountPoisha)} {t(`refund.${r.state}` as Key)} {r.refundTrxID ?? ""} — {r.reason}
                {(r.state === "unknown" || r.state === "requested") && (
                  <button type="button" class="link" onClick={() => void recheckRefund(r.id)} data-testid="check-refund">
                    {t("details.checkRefund")}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {p.state === "completed" && history.refundablePoisha > 0 && (
        <RefundForm
          refundablePoisha={history.refundablePoisha}
          prefix="refund"
          send={(amountPoisha, sku, reason) => refundPayment({ id, amountPoisha, sku, reason })}
          onDone={async () => {
            await load();
            onChanged();
          }}
          onMessage={setMessage}
        />
      )}
      {message && (
        <p role="status" data-testid="details-message">
          {message}
        </p>
      )}
      <p class="hint">{t("details.created", { time: formatTime(p.createdAt) })}</p>
    </aside>
  );
}
