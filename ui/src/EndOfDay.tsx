import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { CashGroups, Drawers, Shifts, TopItems } from "./TillDay";
import { closeDay, endOfDay, exportDay, unfinishedSale, type DaySummary, type EodView, type GroupTotal, type ReportRow } from "./ipc";
import { formatTime } from "./sale";
import { formatBdt, parseAmount } from "./money";
import { digits, errorText, formatCount, type Key, t } from "./i18n";

export type PrintLayout = "eod-a4" | "eod-80mm";

/** Puts the page in a print layout: only the report, on A4 or an 80 mm roll.
 * The @page size goes into a constructed style sheet (CSSOM), which the
 * window's CSP allows where an inline <style> would not be. */
export function applyPrintLayout(layout: PrintLayout | null): () => void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(layout === "eod-80mm" ? "@page { size: 80mm auto; margin: 3mm; }" : "@page { size: A4; margin: 15mm; }");
  document.body.dataset.print = layout ?? "";
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  return () => {
    delete document.body.dataset.print;
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
  };
}

const taka = (row: ReportRow) => {
  const parsed = parseAmount(row.amount);
  return parsed.ok ? formatBdt(parsed.poisha) : row.amount;
};

/** The day's end-of-day report: preview, close (numbered, final), print, export. */
export function EndOfDayReport({ date }: { date: string }) {
  const [view, setView] = useState<EodView | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    setMessage(null);
    endOfDay(date).then(setView, (e: unknown) => setMessage(errorText(e)));
  }, [date]);

  // Closing is final: it is asked once more, with what the report will say.
  const [confirming, setConfirming] = useState<{ openSale: boolean } | null>(null);
  const ask = async () => {
    setMessage(null);
    const open = await unfinishedSale().catch(() => null);
    setConfirming({ openSale: Boolean(open && open.tender === null && open.lines.length > 0) });
  };
  const close = async () => {
    setConfirming(null);
    try {
      setView(await closeDay(date));
      setMessage(t("eod.closedNote"));
    } catch (e) {
      setMessage(errorText(e));
    }
  };
  const exportAs = async (format: "csv" | "pdf") => {
    const paths = await exportDay(date, format);
    return paths.length > 1 ? t("manager.exportedTwo", { transactions: paths[0]!, lines: paths[1]! }) : t("eod.saved", { path: paths[0] ?? "" });
  };

  if (!view) return <p role="status">{message ?? t("eod.loading")}</p>;
  const r = view.report;
  const s = r.summary;
  return (
    <section class="eod" data-testid="eod">
      <div class="eod-actions no-print">
        {!view.closed && !confirming && (
          <button type="button" onClick={() => void ask()} data-testid="eod-close">
            {t("eod.close")}
          </button>
        )}
        <ReportOutputs prefix="eod" exportAs={exportAs} onMessage={setMessage} />
      </div>
      {confirming && !view.closed && <CloseConfirmation view={view} openSale={confirming.openSale} onYes={() => void close()} onBack={() => setConfirming(null)} />}
      {message && (
        <p role="status" class="no-print" data-testid="eod-message">
          {message}
        </p>
      )}
      <article class="eod-report" data-testid="eod-report">
        <h2 data-testid="eod-title">{view.closed ? t("eod.title", { number: digits(String(r.number)) }) : t("eod.preview")}</h2>
        <p>
          {t(view.closed ? "eod.closedAt" : "eod.asOf", { shop: r.shopName, day: digits(r.day), time: digits(r.closedAt) })}
        </p>
        <SummaryTotals summary={s} prefix="eod" />
        <Groups title={t("eod.byCounter")} groups={r.byCounter} />
        {r.till && <CashGroups till={r.till} />}
        <Groups title={t("eod.byCashier")} groups={r.byCashier} />
        {r.till && <Shifts shifts={r.till.shifts ?? []} />}
        {r.till && <Drawers till={r.till} />}
        {r.till && <TopItems items={r.till.topItems} />}
        <h3>{t("eod.carried", { count: r.carriedOver.length })}</h3>
        <Rows rows={r.carriedOver} testid="eod-carried" />
        <h3>{t("eod.corrections", { count: r.corrections.length })}</h3>
        <Rows rows={r.corrections.map((c) => c.payment)} testid="eod-corrections" note={(i) => t("eod.correctionOf", { number: digits(String(r.corrections[i]?.closedIn ?? "")) })} />
        {r.cashCorrections && r.cashCorrections.length > 0 && (
          <>
            <h3>{t("eod.cashCorrections", { count: r.cashCorrections.length })}</h3>
            <table class="eod-rows" data-testid="eod-cash-corrections">
              <tbody>
                {r.cashCorrections.map((c) => (
                  <tr key={c.orderId}>
                    <td>{formatTime(c.takenAt)}</td>
                    <td class="num">{formatBdt(c.amountPoisha)}</td>
                    <td class="mono">{c.orderId}</td>
                    <td>{c.cashier ?? ""}</td>
                    <td>{t("eod.correctionOf", { number: digits(String(c.closedIn)) })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </article>
    </section>
  );
}

/** Print (A4, 80 mm) and export (CSV, PDF) of the report on screen: the
 * buttons are `<prefix>-print-a4`, `-print-80mm`, `-export-csv`,
 * `-export-pdf`. `exportAs` writes the files and says where. */
export function ReportOutputs({ prefix, exportAs, onMessage }: { prefix: string; exportAs: (format: "csv" | "pdf") => Promise<string>; onMessage: (message: string) => void }) {
  const print = (layout: PrintLayout) => {
    const restore = applyPrintLayout(layout);
    window.print();
    restore();
  };
  const save = async (format: "csv" | "pdf") => {
    // The PDF is the page as printed on A4: only the report.
    const restore = format === "pdf" ? applyPrintLayout("eod-a4") : () => undefined;
    try {
      onMessage(await exportAs(format));
    } catch (e) {
      onMessage(errorText(e));
    } finally {
      restore();
    }
  };
  return (
    <>
      <button type="button" onClick={() => print("eod-a4")} data-testid={`${prefix}-print-a4`}>
        {t("eod.printA4")}
      </button>
      <button type="button" onClick={() => print("eod-80mm")} data-testid={`${prefix}-print-80mm`}>
        {t("eod.print80")}
      </button>
      <button type="button" onClick={() => void save("csv")} data-testid={`${prefix}-export-csv`}>
        {t("eod.exportCsv")}
      </button>
      <button type="button" onClick={() => void save("pdf")} data-testid={`${prefix}-export-pdf`}>
        {t("eod.exportPdf")}
      </button>
    </>
  );
}

/** A report's totals by state: taken, cash, refunded, net, and what was
 * not charged or is still being checked. Rows `<prefix>-cash`, `-net`. */
export function SummaryTotals({ summary: s, prefix }: { summary: DaySummary; prefix: string }) {
  return (
    <table class="eod-totals">
      <tbody>
        <TotalRow label={t("day.taken")} count={s.completed.count} poisha={s.completed.amountPoisha} />
        {s.cash && <TotalRow label={t("manager.cash")} count={s.cash.count} poisha={s.cash.amountPoisha} testid={`${prefix}-cash`} />}
        <TotalRow label={t("day.refunded")} count={s.refunded.count} poisha={s.refunded.amountPoisha} />
        <tr data-testid={`${prefix}-net`}>
          <th>{t("day.net")}</th>
          <td />
          <td class="num">{formatBdt(s.netPoisha)}</td>
        </tr>
        <TotalRow label={t("eod.failed")} count={s.failed.count} poisha={s.failed.amountPoisha} />
        <TotalRow label={t("eod.cancelled")} count={s.cancelled.count} poisha={s.cancelled.amountPoisha} />
        <TotalRow label={t("day.checking")} count={s.checking.count} poisha={s.checking.amountPoisha} />
      </tbody>
    </table>
  );
}

function TotalRow({ label, count, poisha, testid }: { label: string; count: number; poisha: number; testid?: string }) {
  return (
    <tr data-testid={testid}>
      <th>{label}</th>
      <td class="num">{formatCount(count)}</td>
      <td class="num">{formatBdt(poisha)}</td>
    </tr>
  );
}

function Groups({ title, groups }: { title: string; groups: GroupTotal[] }) {
  return (
    <>
      <h3>{title}</h3>
      <table class="eod-groups">
        <tbody>
          {groups.map((g) => (
            <tr key={g.name}>
              <th>{g.name || t("eod.notRecorded")}</th>
              <td class="num">{formatCount(g.completed.count)}</td>
              <td class="num">{formatBdt(g.completed.amountPoisha)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Rows({ rows, testid, note }: { rows: ReportRow[]; testid: string; note?: (i: number) => string }) {
  if (rows.length === 0) return <p data-testid={testid}>{t("eod.none")}</p>;
  return (
    <table class="eod-rows" data-testid={testid}>
      <tbody>
        {rows.map((row, i) => (
          <tr key={row.invoice}>
            <td>{digits(row.time)}</td>
            <td class="num">{taka(row)}</td>
            <td>{t(`state.${row.state}` as Key)}</td>
            <td class="mono">{row.invoice}</td>
            <td class="mono">{row.trxID ?? ""}</td>
            {note && <td>{note(i)}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The question before *Close the day*: what the numbered report will say,
 * what is still open, and that sales after it go to the next day. */
function CloseConfirmation({ view, openSale, onYes, onBack }: { view: EodView; openSale: boolean; onYes: () => void; onBack: () => void }) {
  const r = view.report;
  const s = r.summary;
  const openShifts = (r.till?.shifts ?? []).filter((shift) => shift.closedAt === null);
  // Go back has the focus: Enter by habit closes nothing, Esc goes back.
  const back = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => back.current?.focus(), []);
  return (
    <div
      class="confirm-close no-print"
      role="alertdialog"
      aria-labelledby="confirm-close-title"
      onKeyDown={(e) => e.key === "Escape" && (e.preventDefault(), onBack())}
      data-testid="eod-confirm"
    >
      <h3 id="confirm-close-title">{t("eod.confirmTitle", { day: digits(r.day) })}</h3>
      <ul>
        <li data-testid="eod-confirm-bkash">{t("eod.confirmBkash", { count: s.completed.count, amount: formatBdt(s.completed.amountPoisha) })}</li>
        {s.cash && <li data-testid="eod-confirm-cash">{t("eod.confirmCash", { count: s.cash.count, amount: formatBdt(s.cash.amountPoisha) })}</li>}
        <li>{t("eod.confirmRefunded", { count: s.refunded.count, amount: formatBdt(s.refunded.amountPoisha) })}</li>
        {s.checking.count > 0 && <li class="short">{t("eod.confirmChecking", { count: s.checking.count })}</li>}
        {openShifts.map((shift) => (
          <li key={shift.shift} class="short" data-testid="eod-confirm-open-shift">
            {t("eod.confirmOpenShift", { number: digits(String(shift.shift)), counter: shift.counter, name: shift.openedBy })}
          </li>
        ))}
        {openSale && (
          <li class="short" data-testid="eod-confirm-open-sale">
            {t("eod.confirmOpenSale")}
          </li>
        )}
      </ul>
      <p>{t("eod.confirmFinal")}</p>
      <div class="confirm-again">
        <button type="button" onClick={onYes} data-testid="eod-confirm-yes">
          {t("eod.confirmYes")}
        </button>
        <button type="button" class="secondary" ref={back} onClick={onBack} data-testid="eod-confirm-back">
          {t("cashier.goBack")}
        </button>
      </div>
    </div>
  );
}
