// The counter's shift, above the sale: who opened it and when, the float;
// pay in / pay out / drop / no-sale with a reason; the X report; a refund
// of a paid sale found by its trxID or invoice; and the close with a blind
// count, which shows the Z report and prints it. Anything beyond the role
// of whoever is signed in asks for a supervisor's PIN (`useApproval`).
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import {
  closeShift,
  counterDay,
  currentShift,
  findPaidPayment,
  moveCash,
  openShift,
  printShiftReport,
  refundPayment,
  xReport,
  type CounterDay,
  type History,
  type MovementKind,
  type ShiftReport,
  type ShiftView,
} from "./ipc";
import { DENOMINATIONS_TAKA } from "./generated/types";
import { amountErrorText, formatBdt, parseAmount } from "./money";
import { currentChoice, digits, errorText, formatCount, t, type Key } from "./i18n";
import { formatTime } from "./sale";
import { cashCount, countTotal, type Pieces } from "./counter/cash-count";
import { useApproval, withApproval } from "./Approval";
import { formatDifference } from "./TillDay";
import { RefundForm } from "./DayParts";

type Open = "none" | "open" | "move" | "x" | "close" | "refund";

/** How often the counter asks which day its sales belong to (a local read). */
const DAY_EVERY_MS = 30_000;

export function ShiftPanel({ signedIn }: { signedIn: string | null }) {
  const [shift, setShift] = useState<ShiftView | null | undefined>(undefined);
  const [day, setDay] = useState<CounterDay | null>(null);
  const [open, setOpen] = useState<Open>("none");
  const [report, setReport] = useState<ShiftReport | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [prompt, approved] = useApproval();
  const refresh = () => {
    void currentShift().then(setShift, (e: unknown) => setMessage(errorText(e)));
    void counterDay().then(setDay, () => setDay(null));
  };
  // A new person signed in: what they see is read again.
  useEffect(refresh, [signedIn]);
  useEffect(() => {
    const timer = setInterval(() => void counterDay().then(setDay, () => undefined), DAY_EVERY_MS);
    return () => clearInterval(timer);
  }, []);
  const toggle = (which: Open) => {
    setMessage(null);
    setOpen(open === which ? "none" : which);
  };
  const act = async (work: () => Promise<string | null>) => {
    try {
      setMessage(await work());
    } catch (e) {
      setMessage(errorText(e));
    }
    refresh();
  };

  if (shift === undefined) return null;
  return (
    <section class="shift-panel" aria-label={t("shift.panel")} data-testid="shift-panel" data-shift={shift?.id ?? ""}>
      {day && day.salesDay !== day.calendarDay && (
        <p class="banner banner-warning" role="status" data-testid="next-day-notice">
          {t("shift.nextDay", { today: digits(day.calendarDay), day: digits(day.salesDay) })}
        </p>
      )}
      <div class="shift-bar">
        {shift ? (
          <span data-testid="shift-open">
            {t("shift.openLine", { number: digits(String(shift.id)), name: shift.openedBy, time: formatTime(shift.openedAt), float: formatBdt(shift.floatPoisha) })}
          </span>
        ) : (
          <strong data-testid="shift-none">{t("shift.none")}</strong>
        )}
        {!shift && (
          <button type="button" aria-pressed={open === "open"} onClick={() => toggle("open")} data-testid="shift-open-button">
            {t("shift.open")}
          </button>
        )}
        {shift && (
          <>
            <button type="button" aria-pressed={open === "move"} onClick={() => toggle("move")} data-testid="shift-move-button">
              {t("shift.move")}
            </button>
            <button type="button" aria-pressed={open === "refund"} onClick={() => toggle("refund")} data-testid="shift-refund-button">
              {t("shift.refund")}
            </button>
            <button
              type="button"
              aria-pressed={open === "x" && report?.kind === "x"}
              onClick={() =>
                void act(async () => {
                  setReport(await approved(xReport));
                  setOpen("x");
                  return null;
                })
              }
              data-testid="shift-x-button"
            >
              {t("shift.x")}
            </button>
            <button type="button" aria-pressed={open === "close"} onClick={() => toggle("close")} data-testid="shift-close-button">
              {t("shift.close")}
            </button>
          </>
        )}
      </div>
      {open === "open" && !shift && (
        <NoteCounter
          title={t("shift.floatTitle")}
          submit={t("shift.openSubmit")}
          prefix="float"
          onCount={(count) =>
            act(async () => {
              const opened = await approved((approval) => openShift(count, approval));
              setOpen("none");
              return t("shift.opened", { number: digits(String(opened.id)), float: formatBdt(opened.floatPoisha) });
            })
          }
        />
      )}
      {open === "move" && shift && (
        <MoveForm
          onMove={(kind, amountPoisha, reason) =>
            act(async () => {
              await approved((approval) => moveCash(withApproval({ kind, amountPoisha, reason }, approval)));
              setOpen("none");
              return t("shift.moved", { kind: t(`movement.${kind}` as Key), amount: formatBdt(amountPoisha) });
            })
          }
        />
      )}
      {open === "close" && shift && (
        <NoteCounter
          title={t("shift.closeTitle")}
          submit={t("shift.closeSubmit")}
          prefix="close"
          blind
          onCount={(count) =>
            act(async () => {
              setReport(await approved((approval) => closeShift(count, approval)));
              setOpen("x");
              return null;
            })
          }
        />
      )}
      {open === "refund" && shift && <CounterRefund approved={approved} onMessage={setMessage} />}
      {open === "x" && report && <ShiftReportView report={report} onMessage={setMessage} onClose={() => (setOpen("none"), setReport(null))} />}
      {message && (
        <p class="hint" role="status" data-testid="shift-message">
          {message}
        </p>
      )}
      {prompt}
    </section>
  );
}

/** Notes and coins, ৳1000 down to ৳1, with the total as it is typed. `blind`:
 * the close's count, which never shows what is expected. */
function NoteCounter(props: { title: string; submit: string; prefix: string; blind?: boolean; onCount: (count: NonNullable<ReturnType<typeof cashCount>>) => Promise<void> }) {
  const [pieces, setPieces] = useState<Pieces>({});
  const [error, setError] = useState<string | null>(null);
  const total = countTotal(pieces);
  // The count starts at ৳1000, focused as the form appears.
  const first = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => first.current?.focus(), []);
  const submit = (event: Event) => {
    event.preventDefault();
    const count = cashCount(pieces);
    if (!count || !total.ok) {
      setError(t("shift.badPieces", { taka: digits(String(total.ok ? 0 : total.taka)) }));
      return;
    }
    setError(null);
    void props.onCount(count);
  };
  return (
    <form class="note-counter" onSubmit={submit} data-testid={`${props.prefix}-count`}>
      <strong>{props.title}</strong>
      {props.blind && <p class="hint">{t("shift.blindHint")}</p>}
      <div class="notes">
        {DENOMINATIONS_TAKA.map((taka, i) => (
          <label key={taka}>
            {formatBdt(taka * 100).replace(/[.,]00(?=\D*$)/, "")}
            <input
              value={pieces[taka] ?? ""}
              inputMode="numeric"
              class="qty"
              ref={i === 0 ? first : null}
              onInput={(e) => setPieces({ ...pieces, [taka]: e.currentTarget.value })}
              aria-label={t("shift.piecesOf", { taka: digits(String(taka)) })}
              data-testid={`${props.prefix}-note-${taka}`}
            />
          </label>
        ))}
      </div>
      <div class="change-line">
        <span>{t("shift.countTotal")}</span>
        <strong data-testid={`${props.prefix}-total`}>{total.ok ? formatBdt(total.poisha) : "—"}</strong>
      </div>
      {error && (
        <p class="field-error" role="alert" data-testid={`${props.prefix}-error`}>
          {error}
        </p>
      )}
      <button type="submit" data-testid={`${props.prefix}-submit`}>
        {props.submit}
      </button>
    </form>
  );
}

const MOVEMENTS: MovementKind[] = ["pay_in", "pay_out", "drop", "no_sale"];

function MoveForm({ onMove }: { onMove: (kind: MovementKind, amountPoisha: number, reason: string) => Promise<void> }) {
  const [kind, setKind] = useState<MovementKind>("pay_out");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const submit = (event: Event) => {
    event.preventDefault();
    // A no-sale open moves no money: its amount is nothing.
    const parsed = kind === "no_sale" ? ({ ok: true, poisha: 0 } as const) : parseAmount(amount);
    if (!parsed.ok) return setError(amountErrorText(parsed.error));
    if (reason.trim() === "") return setError(t("shift.reasonNeeded"));
    setError(null);
    void onMove(kind, parsed.poisha, reason.trim());
  };
  return (
    <form class="move-form" onSubmit={submit} data-testid="move-form">
      <label>
        {t("shift.moveKind")}
        <select value={kind} onChange={(e) => setKind(e.currentTarget.value as MovementKind)} data-testid="move-kind">
          {MOVEMENTS.map((k) => (
            <option key={k} value={k}>
              {t(`movement.${k}` as Key)}
            </option>
          ))}
        </select>
      </label>
      {kind !== "no_sale" && (
        <label>
          {t("day.amount")}
          <input value={amount} inputMode="decimal" placeholder="0.00" onInput={(e) => setAmount(e.currentTarget.value)} data-testid="move-amount" />
        </label>
      )}
      <label>
        {t("details.reason")}
        <input value={reason} maxLength={200} onInput={(e) => setReason(e.currentTarget.value)} data-testid="move-reason" />
      </label>
      <button type="submit" data-testid="move-submit">
        {t("shift.moveSubmit")}
      </button>
      {error && (
        <p class="field-error" role="alert" data-testid="move-error">
          {error}
        </p>
      )}
    </form>
  );
}

/** A refund at the counter: the paid sale is found by its trxID or invoice,
 * then refunded (in part or whole) to the customer's wallet. */
function CounterRefund({ approved, onMessage }: { approved: ReturnType<typeof useApproval>[1]; onMessage: (m: string | null) => void }) {
  const [reference, setReference] = useState("");
  const [found, setFound] = useState<History | null>(null);
  const field = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => field.current?.focus(), []);
  const find = async (event: Event) => {
    event.preventDefault();
    try {
      setFound(await findPaidPayment(reference.trim()));
      onMessage(null);
    } catch (e) {
      setFound(null);
      onMessage(errorText(e));
    }
  };
  const reread = async () => {
    if (found) setFound(await findPaidPayment(found.payment.trxID ?? found.payment.invoice));
  };
  return (
    <div class="counter-refund" data-testid="counter-refund">
      <form onSubmit={(e) => void find(e)} class="move-form">
        <label>
          {t("shift.refundFind")}
          <input ref={field} value={reference} onInput={(e) => setReference(e.currentTarget.value)} class="mono" data-testid="refund-reference" />
        </label>
        <button type="submit" data-testid="refund-find">
          {t("shift.refundFindSubmit")}
        </button>
      </form>
      {found && (
        <>
          <p data-testid="refund-found">
            {t("shift.refundFound", { amount: formatBdt(found.payment.amountPoisha), trx: found.payment.trxID ?? "", time: formatTime(found.payment.createdAt) })}
          </p>
          <RefundForm
            refundablePoisha={found.refundablePoisha}
            prefix="counter-refund"
            send={(amountPoisha, sku, reason) =>
              approved((approval) =>
                refundPayment(withApproval({ id: found.payment.id, amountPoisha, sku, reason }, approval)),
              )
            }
            onDone={reread}
            onMessage={onMessage}
          />
        </>
      )}
    </div>
  );
}

/** An X (so far) or Z (closed) report on the screen, with Print on the receipt printer. */
export function ShiftReportView({ report: r, onMessage, onClose }: { report: ShiftReport; onMessage: (m: string | null) => void; onClose?: () => void }) {
  const print = async () => {
    try {
      await printShiftReport(r, currentChoice().lang);
      onMessage(t("shift.printed"));
    } catch (e) {
      onMessage(errorText(e));
    }
  };
  const row = (label: string, value: string, testid?: string) => (
    <tr data-testid={testid}>
      <th>{label}</th>
      <td class="num">{value}</td>
    </tr>
  );
  const counted = (label: string, c: { count: number; amountPoisha: number }, testid?: string) =>
    row(`${label} (${formatCount(c.count)})`, formatBdt(c.amountPoisha), testid);
  return (
    <article class="shift-report" data-testid={r.kind === "z" ? "z-report" : "x-report"} data-shift={r.shift}>
      <h2>{r.zNumber !== null ? t("shift.zTitle", { number: digits(String(r.zNumber)) }) : t("shift.xTitle")}</h2>
      <table class="eod-totals">
        <tbody>
          {row(t("shift.openedBy"), `${r.openedBy} · ${formatTime(r.openedAt)}`)}
          {r.closedBy !== null ? row(t("shift.closedBy"), `${r.closedBy} · ${formatTime(r.asOf)}`) : row(t("shift.asOf"), formatTime(r.asOf))}
          {row(t("shift.float"), formatBdt(r.floatPoisha))}
          {counted(t("shift.cashSales"), r.cash, "shift-cash")}
          {counted(t("shift.bkashSales"), r.bkash, "shift-bkash")}
          {counted(t("shift.refunds"), r.refunds)}
          {counted(t("shift.payIns"), r.payIns)}
          {counted(t("shift.payOuts"), r.payOuts, "shift-pay-outs")}
          {counted(t("shift.drops"), r.drops)}
          {row(t("shift.noSales"), formatCount(r.noSales))}
          {row(t("shift.expected"), formatBdt(r.expectedPoisha), "shift-expected")}
          {r.countedPoisha !== null && row(t("shift.counted"), formatBdt(r.countedPoisha), "shift-counted")}
          {r.differencePoisha !== null && row(t("shift.difference"), formatDifference(r.differencePoisha), "shift-difference")}
        </tbody>
      </table>
      {r.byCashier.length > 0 && (
        <table class="eod-groups" data-testid="shift-by-cashier">
          <tbody>
            {r.byCashier.map((c) => (
              <tr key={c.name}>
                <th>{c.name || t("eod.notRecorded")}</th>
                <td class="num">{`${t("shift.cash")} ${formatBdt(c.cash.amountPoisha)}`}</td>
                <td class="num">{`bKash ${formatBdt(c.bkash.amountPoisha)}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {r.movements.length > 0 && (
        <ul data-testid="shift-movements">
          {r.movements.map((m) => (
            <li key={m.at}>
              {t("shift.movementLine", {
                kind: t(`movement.${m.kind}` as Key),
                amount: formatBdt(m.amountPoisha),
                reason: m.reason,
                by: m.approvedBy ? `${m.by} / ${m.approvedBy}` : m.by,
              })}
            </li>
          ))}
        </ul>
      )}
      <div class="eod-actions">
        <button type="button" onClick={() => void print()} data-testid="shift-print">
          {t("shift.print")}
        </button>
        {onClose && (
          <button type="button" class="secondary" onClick={onClose} data-testid="shift-report-close">
            {t("shift.reportClose")}
          </button>
        )}
      </div>
    </article>
  );
}
