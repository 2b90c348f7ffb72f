import { useEffect, useState } from "preact/hooks";
import type { DayQuery, DaySummary, EventState, EventView, PaymentState, RefundView } from "./ipc";
import { amountErrorText, formatBdt, parseAmount } from "./money";
import { errorText, formatCount, type Key, t } from "./i18n";
import { formatTime } from "./sale";

/** A day's page read by `load` 150 ms after the query last changed (a
 * manager typing a search asks once), again whenever `reload` changes; an
 * expired manager session calls `onExpired`. */
export function useDayPage<T>(load: (query: DayQuery) => Promise<T>, query: DayQuery, reload: number, onExpired: () => void): [T | null, string | null, (error: string | null) => void] {
  const [page, setPage] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { date, state, search, page: number } = query;
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      load({ date, state, search: search?.trim() || null, page: number }).then(
        (d) => current && (setPage(d), setError(null)),
        (e: unknown) => {
          if (!current) return;
          if ((e as { code?: string }).code === "manager_locked") onExpired();
          setError(errorText(e));
        },
      );
    }, 150);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [date, state, search, number, reload]);
  return [page, error, setError];
}

/** Every payment state, as the day's state filter offers them. */
const STATES: PaymentState[] = ["completed", "failed", "cancelled", "not_charged", "unknown", "executing", "awaiting_customer", "creating", "new"];

export function StateFilter({ value, onChange, testid, hidden }: { value: PaymentState | ""; onChange: (state: PaymentState | "") => void; testid: string; hidden?: boolean }) {
  return (
    <select value={value} hidden={hidden} onChange={(e) => onChange(e.currentTarget.value as PaymentState | "")} aria-label={t("day.state")} data-testid={testid}>
      <option value="">{t("day.allStates")}</option>
      {STATES.map((st) => (
        <option key={st} value={st}>
          {t(`state.${st}` as Key)}
        </option>
      ))}
    </select>
  );
}

/** Previous / "1–50 of 120" / Next; the buttons are `<prefix>-prev`, `-info`, `-next`. */
export function Pager({ at, onPage, prefix }: { at: { page: number; pageSize: number; total: number }; onPage: (page: number) => void; prefix: string }) {
  const first = at.page * at.pageSize + 1;
  const last = Math.min(at.total, (at.page + 1) * at.pageSize);
  return (
    <nav class="pager" aria-label={t("aria.pages")}>
      <button type="button" disabled={at.page === 0} onClick={() => onPage(at.page - 1)} data-testid={`${prefix}-prev`}>
        {t("day.previous")}
      </button>
      <span data-testid={`${prefix}-info`}>{at.total === 0 ? t("day.none") : t("day.range", { first, last, total: at.total })}</span>
      <button type="button" disabled={last >= at.total} onClick={() => onPage(at.page + 1)} data-testid={`${prefix}-next`}>
        {t("day.next")}
      </button>
    </nav>
  );
}

/** One total of a day: its label, count and amount. */
export function Tile({ label, count, poisha, testid }: { label: string; count: number; poisha: number; testid: string }) {
  return (
    <div class="tile" data-testid={testid}>
      <span>
        {label} ({formatCount(count)})
      </span>
      <strong>{formatBdt(poisha)}</strong>
    </div>
  );
}

/** What bKash's answer to a refund means, in the manager's words. */
export function refundOutcome(done: RefundView): string {
  if (done.state === "completed") return t("details.refunded", { amount: formatBdt(done.amountPoisha), trx: done.refundTrxID ?? "" });
  return done.state === "failed" ? t("details.refundRefused") : t("details.refundUnknown");
}

/** One manager action at a time on a payment: while `action` runs the
 * controls are disabled; its sentence (or the error's) is shown, and
 * `onDone` reads the payment again after it succeeded. */
function useManagerAction(onMessage: (message: string) => void, onDone: () => Promise<void> | void): [boolean, (action: () => Promise<string>) => Promise<void>] {
  const [busy, setBusy] = useState(false);
  const act = async (action: () => Promise<string>) => {
    setBusy(true);
    try {
      onMessage(await action());
      await onDone();
    } catch (e) {
      onMessage(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return [busy, act];
}

/** Amount, item and reason of a refund of up to `refundablePoisha`; `send`
 * makes it (this counter's payment, or any of the store's), `onDone` reads
 * the payment again. Its fields are `<prefix>-amount`, `-sku`, `-reason`. */
export function RefundForm(props: {
  refundablePoisha: number;
  prefix: string;
  send: (amountPoisha: number, sku: string, reason: string) => Promise<RefundView>;
  onDone: () => Promise<void> | void;
  onMessage: (message: string) => void;
}) {
  const [amount, setAmount] = useState("");
  const [sku, setSku] = useState("");
  const [reason, setReason] = useState("");
  const [busy, act] = useManagerAction(props.onMessage, props.onDone);
  const { prefix } = props;
  const submit = async (event: Event) => {
    event.preventDefault();
    const parsed = parseAmount(amount);
    if (!parsed.ok) {
      props.onMessage(amountErrorText(parsed.error));
      return;
    }
    await act(async () => {
      const said = refundOutcome(await props.send(parsed.poisha, sku, reason));
      setAmount("");
      return said;
    });
  };
  return (
    <form class="refund-form" onSubmit={(e) => void submit(e)} data-testid={`${prefix}-form`}>
      <h3>{t("details.refundTitle", { amount: formatBdt(props.refundablePoisha) })}</h3>
      <input value={amount} onInput={(e) => setAmount(e.currentTarget.value)} inputMode="decimal" placeholder={t("details.refundAmount")} aria-label={t("details.refundAmount")} data-testid={`${prefix}-amount`} />
      <input value={sku} onInput={(e) => setSku(e.currentTarget.value)} placeholder={t("details.refundSku")} aria-label={t("details.refundSku")} data-testid={`${prefix}-sku`} />
      <input value={reason} onInput={(e) => setReason(e.currentTarget.value)} placeholder={t("details.reason")} aria-label={t("details.reason")} data-testid={`${prefix}-reason`} />
      <button type="submit" disabled={busy} data-testid={`${prefix}-submit`}>
        {t("details.refund")}
      </button>
    </form>
  );
}

/** *Check now* and *Resolve by hand* for a payment whose outcome is
 * unknown. `check` and `resolve` act (on this counter's payment, or any of
 * the store's) and give the sentence to show; `onDone` reads the payment
 * again. The controls are `<prefix>check-now`, `<prefix>resolve-form`,
 * `-trx`, `-reason`, `-submit`. */
export function UnknownPaymentActions(props: {
  prefix: string;
  check: () => Promise<string>;
  resolve: (trxID: string, reason: string) => Promise<string>;
  onDone: () => Promise<void> | void;
  onMessage: (message: string) => void;
}) {
  const [trx, setTrx] = useState("");
  const [reason, setReason] = useState("");
  const [busy, act] = useManagerAction(props.onMessage, props.onDone);
  const { prefix } = props;
  return (
    <>
      <button type="button" disabled={busy} onClick={() => void act(props.check)} data-testid={`${prefix}check-now`}>
        {t("details.checkNow")}
      </button>
      <form
        class="refund-form"
        onSubmit={(e) => {
          e.preventDefault();
          void act(() => props.resolve(trx, reason));
        }}
        data-testid={`${prefix}resolve-form`}
      >
        <h3>{t("details.resolveTitle")}</h3>
        <input value={trx} onInput={(e) => setTrx(e.currentTarget.value)} placeholder="trxID" aria-label="trxID" data-testid={`${prefix}resolve-trx`} />
        <input value={reason} onInput={(e) => setReason(e.currentTarget.value)} placeholder={t("details.reason")} aria-label={t("details.reason")} data-testid={`${prefix}resolve-reason`} />
        <button type="submit" disabled={busy} data-testid={`${prefix}resolve-submit`}>
          {t("details.resolve")}
        </button>
      </form>
    </>
  );
}

/** One line of a payment's history in the shop's language: what happened,
 * with the states worded from the catalogs. */
export function eventText(e: EventView, payment: { amountPoisha: number; invoice: string }): string {
  const word = (state: EventState | null) => (state === null ? "—" : e.kind === "refund" ? t(`refund.${state}` as Key) : t(`state.${state}` as Key));
  switch (e.kind) {
    case "started":
      return t("event.started", { amount: formatBdt(payment.amountPoisha), invoice: payment.invoice });
    case "transition":
    case "refund":
      return t(`event.${e.kind}`, { from: word(e.fromState), to: word(e.toState) });
    default:
      return t(`event.${e.kind}`);
  }
}

/** A payment's history, as the manager's day and the store's day show it. */
export function EventList({ events, payment, testid }: { events: EventView[]; payment: { amountPoisha: number; invoice: string }; testid: string }) {
  return (
    <ol class="events" data-testid={testid}>
      {events.map((e, i) => (
        <li key={i} data-kind={e.kind}>
          <span class="mono">{formatTime(e.at)}</span> {eventText(e, payment)}
          {e.bkashCode ? ` (bKash ${e.bkashCode}${e.bkashMessage ? `: ${e.bkashMessage}` : ""})` : ""}
          {/* The started line says its amount and invoice itself; other details are the core's own record. */}
          {e.detail && e.kind !== "started" ? ` — ${e.detail}` : ""}
        </li>
      ))}
    </ol>
  );
}

/** A day's totals as tiles: taken, cash, refunded, net, and what is still
 * being checked; with `outcomes`, failed and cancelled too (the counter's own
 * day). The manager's day and the store's day show this one. */
export function DayTiles({ summary: s, testid, prefix, outcomes }: { summary: DaySummary; testid: string; prefix: string; outcomes: boolean }) {
  return (
    <div class="tiles" data-testid={testid}>
      <Tile label={t("day.taken")} count={s.completed.count} poisha={s.completed.amountPoisha} testid={`${prefix}-completed`} />
      <Tile label={t("manager.cash")} count={s.cash?.count ?? 0} poisha={s.cash?.amountPoisha ?? 0} testid={`${prefix}-cash`} />
      <Tile label={t("day.refunded")} count={s.refunded.count} poisha={s.refunded.amountPoisha} testid={`${prefix}-refunded`} />
      <div class="tile tile-net" data-testid={`${prefix}-net`}>
        <span>{t("day.net")}</span>
        <strong>{formatBdt(s.netPoisha)}</strong>
      </div>
      {outcomes && <Tile label={t("day.failed")} count={s.failed.count} poisha={s.failed.amountPoisha} testid={`${prefix}-failed`} />}
      {outcomes && <Tile label={t("day.cancelled")} count={s.cancelled.count} poisha={s.cancelled.amountPoisha} testid={`${prefix}-cancelled`} />}
      <Tile label={t("day.checking")} count={s.checking.count} poisha={s.checking.amountPoisha} testid={`${prefix}-checking`} />
    </div>
  );
}
