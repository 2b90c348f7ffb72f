import { useEffect, useState } from "preact/hooks";
import {
  closeStoreDay,
  exportStoreDay,
  storeDay,
  storePaymentHistory,
  storeCheckPayment,
  storeRefund,
  storeResolvePayment,
  type ActionReport,
  type CounterSync,
  type PaymentState,
  type StoreDayPage,
  type StoreEndOfDay,
  type StoreGroup,
  type StoreHistory,
  type StoreShift,
} from "./ipc";
import { formatBdt } from "./money";
import { DayTiles, EventList, Pager, RefundForm, StateFilter, UnknownPaymentActions, useDayPage } from "./DayParts";
import { digits, errorText, formatCount, type Key, t } from "./i18n";
import { formatTime } from "./sale";
import { HourlyChart } from "./HourlyChart";
import { ShiftsTable } from "./TillDay";
import { ReportOutputs, SummaryTotals } from "./EndOfDay";

/** How often the whole store's day is read again from the store's database. */
const STORE_REFRESH_MS = 3_000;

/** Which payment of the store: its counter, and its id in that counter's journal. */
type StoreKey = { counter: string; id: number };

/** Bangladesh time of an RFC 3339 instant. */
function dhakaTime(at: string): string {
  return digits(new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Dhaka", hour: "2-digit", minute: "2-digit", hour12: false }).format(new Date(at)));
}

/** What the store's report is missing of one counter. A counter that is
 * cut off said nothing of its changes since it was last heard from, so the
 * store cannot count them: it says when that was, never "0 changes". */
function notInReport(c: CounterSync): string {
  if (c.silent && !c.lastContact) return t("store.reportNeverHeard", { counter: c.counter });
  if (c.silent && c.lastContact && c.behind > 0) return t("store.reportSilentUnsent", { counter: c.counter, time: dhakaTime(c.lastContact), count: formatCount(c.behind) });
  if (c.silent && c.lastContact) return t("store.reportSilent", { counter: c.counter, time: dhakaTime(c.lastContact) });
  return t("store.reportUnsent", { counter: c.counter, count: formatCount(c.behind) });
}

/** The whole store's day, read from the store's database: every counter's
 * payments and totals, who is behind, any payment's story and its refund. */
export function StoreDay({ date, storeId, onExpired }: { date: string; storeId: string; onExpired: () => void }) {
  const [state, setState] = useState<PaymentState | "">("");
  const [search, setSearch] = useState("");
  const [page, setPage] = useState(0);
  const [selected, setSelected] = useState<StoreKey | null>(null);
  const [reload, setReload] = useState(0);
  const [eod, setEod] = useState<StoreEndOfDay | null>(null);

  const [day, error, setError] = useDayPage<StoreDayPage>(storeDay, { date, state: state || null, search: search || null, page }, reload, onExpired);

  // Other counters keep selling: the store's view reads again every few
  // seconds, so their payments show up without a click.
  useEffect(() => {
    const timer = setInterval(() => setReload((n) => n + 1), STORE_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const close = async () => {
    try {
      setEod(await closeStoreDay(date));
    } catch (e) {
      setError(errorText(e));
    }
  };

  const s = day?.summary;
  return (
    <section class="store-day" aria-label={t("store.title", { store: storeId })} data-testid="store-day">
      <header class="manager-bar">
        <h2>{t("store.title", { store: storeId })}</h2>
        <StateFilter value={state} onChange={(st) => (setState(st), setPage(0))} testid="store-state" />
        <input
          type="search"
          value={search}
          onInput={(e) => (setSearch(e.currentTarget.value), setPage(0))}
          placeholder={t("day.searchPlaceholder")}
          aria-label={t("day.search")}
          data-testid="store-search"
        />
        <button type="button" onClick={() => void close()} data-testid="store-close-day">
          {t("store.closeDay")}
        </button>
      </header>
      {error && (
        <p class="field-error" role="alert" data-testid="store-error">
          {error}
        </p>
      )}
      {eod?.day === date && <StoreReport report={eod} />}
      {day && (
        <table class="lines" data-testid="store-counters">
          <caption>{t("store.counters")}</caption>
          <thead>
            <tr>
              <th>{t("store.counter")}</th>
              <th>{t("store.sync")}</th>
              <th>{t("store.lastContact")}</th>
            </tr>
          </thead>
          <tbody>
            {day.counters.map((c) => (
              <tr key={c.counter} data-testid="store-counter" data-counter={c.counter} data-behind={c.behind} data-silent={c.silent}>
                <td>{c.counter}</td>
                <td>{c.behind > 0 ? t("store.behind", { count: formatCount(c.behind) }) : c.silent ? t("store.silent") : t("store.upToDate")}</td>
                <td>{c.lastContact ? dhakaTime(c.lastContact) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {s && (
        <DayTiles summary={s} testid="store-totals" prefix="store-total" outcomes={false} />
      )}
      {day && <Groups title={t("store.byCounter")} groups={day.byCounter} id="store-by-counter" />}
      {day && <Groups title={t("store.byCashier")} groups={day.byCashier} id="store-by-cashier" />}
      {day && <StoreShifts shifts={day.shifts} />}
      {day && <HourlyChart hourlyPoisha={day.hourlyPoisha} />}
      <table class="lines day-list" data-testid="store-list">
        <thead>
          <tr>
            <th>{t("day.time")}</th>
            <th>{t("store.counter")}</th>
            <th class="num">{t("day.amount")}</th>
            <th>{t("day.state")}</th>
            <th>{t("day.invoice")}</th>
            <th>trxID</th>
          </tr>
        </thead>
        <tbody>
          {day?.rows.map((row) => {
            const key = { counter: row.counter, id: row.payment.id };
            const isSelected = selected?.counter === key.counter && selected.id === key.id;
            return (
              <tr key={`${row.counter}/${row.payment.id}`} class={isSelected ? "selected" : ""} data-testid="store-row" data-counter={row.counter}>
                <td>
                  <button type="button" class="link" onClick={() => setSelected(key)} data-testid="store-row-open">
                    {formatTime(row.payment.createdAt)}
                  </button>
                </td>
                <td>{row.counter}</td>
                <td class="num">{formatBdt(row.payment.amountPoisha)}</td>
                <td>{t(`state.${row.payment.state}` as Key)}</td>
                <td class="mono">{row.payment.invoice}</td>
                <td class="mono">{row.payment.trxID ?? ""}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {day && <Pager at={day} onPage={setPage} prefix="store-page" />}
      {selected && (
        <StoreDetails
          which={selected}
          seen={day?.rows.find((r) => r.counter === selected.counter && r.payment.id === selected.id)?.payment.state}
          onChanged={() => setReload(reload + 1)}
        />
      )}
    </section>
  );
}

function Groups({ title, groups, id }: { title: string; groups: StoreGroup[]; id: string }) {
  return (
    <table class="lines" data-testid={id}>
      <caption>{title}</caption>
      <thead>
        <tr>
          <th />
          <th class="num">bKash</th>
          <th class="num">{t("manager.cash")}</th>
          <th class="num">{t("day.refunded")}</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => (
          <tr key={g.name} data-testid="store-group" data-name={g.name}>
            <td>{g.name || "—"}</td>
            <td class="num">{formatBdt(g.bkash.amountPoisha)}</td>
            <td class="num">{formatBdt(g.cash.amountPoisha)}</td>
            <td class="num">{formatBdt(g.refunded.amountPoisha)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The store's report of the day as stored (numbered once), with every
 * counter's totals; printed (A4, 80 mm) or exported like a counter's. */
function StoreReport({ report }: { report: StoreEndOfDay }) {
  const [message, setMessage] = useState<string | null>(null);
  const s = report.summary;
  const exportAs = async (format: "csv" | "pdf") => t("eod.saved", { path: (await exportStoreDay(report.day, format))[0] ?? "" });
  return (
    <section class="eod" data-testid="store-eod" data-number={report.number}>
      <div class="eod-actions no-print">
        <ReportOutputs prefix="store-eod" exportAs={exportAs} onMessage={setMessage} />
      </div>
      {message && (
        <p role="status" class="no-print" data-testid="store-eod-message">
          {message}
        </p>
      )}
      <article class="eod-report" data-testid="store-eod-report">
        <h3>{t("store.report", { number: formatCount(report.number), day: digits(report.day) })}</h3>
        <p>{t("store.closedBy", { who: report.closedBy, time: dhakaTime(report.closedAt) })}</p>
        <SummaryTotals summary={s} prefix="store-eod" />
        {report.behind.length > 0 && (
          <p class="field-error" data-testid="store-eod-behind">
            {t("store.reportIncomplete")} {report.behind.map(notInReport).join("; ")}.
          </p>
        )}
        <Groups title={t("store.byCounter")} groups={report.byCounter} id="store-eod-by-counter" />
        <Groups title={t("store.byCashier")} groups={report.byCashier} id="store-eod-by-cashier" />
        {report.corrections.length > 0 && (
          <table class="lines" data-testid="store-eod-corrections">
            <caption>{t("store.corrections")}</caption>
            <tbody>
              {report.corrections.map((c) => (
                <tr key={`${c.counter}/${c.id}`}>
                  <td>{c.counter}</td>
                  <td>{formatTime(c.createdAt)}</td>
                  <td class="mono">{c.invoice}</td>
                  <td class="num">{formatBdt(c.amountPoisha)}</td>
                  <td>{t(`state.${c.state}` as Key)}</td>
                  <td class="mono">{c.trxID ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </article>
    </section>
  );
}

/** What bKash's answer to a check or resolution means, in the manager's
 * words; for another counter's payment, that its counter records it. */
export function actionOutcomeText(report: ActionReport, kind: "check" | "resolve"): string {
  const { counter } = report;
  if (!report.elsewhere) {
    if (report.outcome === "completed") return kind === "resolve" ? t("details.verified", { trx: report.trxID ?? "" }) : t("details.bkashSays", { state: t("state.completed") });
    if (report.outcome === "not_charged") return t("details.bkashSays", { state: t("state.not_charged") });
    return kind === "resolve" ? t("details.unverified") : t("details.stillChecking");
  }
  if (report.outcome === "completed") return t("store.actionCompleted", { trx: report.trxID ?? "", counter });
  if (report.outcome === "not_charged") return t("store.actionNotCharged", { counter });
  return kind === "resolve" ? t("store.actionUnverified", { counter }) : t("store.actionNoVerdict", { counter });
}

/** One payment of the store. `seen` is its state in the day's list as last
 * read: when its own counter settles it (after a check from here, say),
 * the story is read again. */
function StoreDetails({ which, seen, onChanged }: { which: StoreKey; seen: PaymentState | undefined; onChanged: () => void }) {
  const [history, setHistory] = useState<StoreHistory | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const load = () => storePaymentHistory(which.counter, which.id).then(setHistory, (e: unknown) => setMessage(errorText(e)));
  useEffect(() => setMessage(null), [which.counter, which.id]);
  useEffect(() => {
    void load();
  }, [which.counter, which.id, seen]);
  if (!history) return message ? <p role="status">{message}</p> : null;
  const p = history.payment;

  return (
    <aside class="details" aria-label={t("details.label")} data-testid="store-details">
      <h2>
        {formatBdt(p.amountPoisha)} · {t(`state.${p.state}` as Key)} · {t("store.atCounter", { counter: history.counter })}
      </h2>
      <p class="mono">
        {p.invoice} · {p.paymentID ?? t("details.noPaymentId")} · {p.trxID ?? t("details.noTrx")}
      </p>
      <h3>{t("details.history")}</h3>
      <EventList events={history.events} payment={p} testid="store-events" />
      {history.refunds.length > 0 && (
        <>
          <h3>{t("details.refunds")}</h3>
          <ul data-testid="store-refunds">
            {history.refunds.map((r, i) => (
              <li key={i} data-testid="store-refund-entry" data-state={r.state}>
                {formatBdt(r.amountPoisha)} {t(`refund.${r.state}` as Key)} {r.refundTrxID ?? ""} — {r.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {p.state === "completed" && history.refundablePoisha > 0 && (
        <RefundForm
          refundablePoisha={history.refundablePoisha}
          prefix="store-refund"
          send={(amountPoisha, sku, reason) => storeRefund({ counter: which.counter, id: which.id, amountPoisha, sku, reason })}
          onDone={async () => {
            await load();
            onChanged();
          }}
          onMessage={setMessage}
        />
      )}
      {p.state === "unknown" && (
        <UnknownPaymentActions
          prefix="store-"
          check={async () => actionOutcomeText(await storeCheckPayment(which.counter, which.id), "check")}
          resolve={async (trxID, reason) => actionOutcomeText(await storeResolvePayment({ counter: which.counter, id: which.id, trxID, reason }), "resolve")}
          onDone={async () => {
            await load();
            onChanged();
          }}
          onMessage={setMessage}
        />
      )}
      {history.actions.length > 0 && (
        <>
          <h3>{t("store.actions")}</h3>
          <ul data-testid="store-actions">
            {history.actions.map((a, i) => (
              <li key={i} data-testid="store-action-entry" data-outcome={a.outcome}>
                {t(`store.action.${a.kind}` as Key, { counter: a.actingCounter })}: {t(`store.outcome.${a.outcome}` as Key)}
                {" · "}
                {a.carriedOut
                  ? t("store.carriedOut", { counter: history.counter, state: t(`state.${a.carriedOut}` as Key) })
                  : t("store.notCarriedOut", { counter: history.counter })}
              </li>
            ))}
          </ul>
        </>
      )}
      {message && (
        <p role="status" data-testid="store-details-message">
          {message}
        </p>
      )}
      <p class="hint">{t("details.created", { time: formatTime(p.createdAt) })}</p>
    </aside>
  );
}

/** Every counter's shifts of the day, as the store holds them: an open one
 * with its float, a closed one with its Z report's figures. */
function StoreShifts({ shifts }: { shifts: StoreShift[] }) {
  const rows = shifts.map((s) => ({ ...s, cashPoisha: s.cash?.amountPoisha ?? null, bkashPoisha: s.bkash?.amountPoisha ?? null, cashiers: [] }));
  return <ShiftsTable rows={rows} testid="store-shifts" rowTestid="store-shift" />;
}
