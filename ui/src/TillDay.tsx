// The till's side of the manager's day: cash beside bKash, the shifts (float,
// expected, counted, difference, each cashier's part), the hand-counted
// drawers of days before shifts, and the items sold. Shared by the day view
// and the end-of-day report.
import { type DrawerLine, type ItemLine, type ShiftLine, type TillDay } from "./ipc";
import { formatBdt } from "./money";
import { digits, formatCount, t } from "./i18n";
import { formatTime } from "./sale";

/** A signed difference: "−৳20.00" when cash is missing. */
export function formatDifference(poisha: number): string {
  return poisha < 0 ? `−${formatBdt(-poisha)}` : poisha > 0 ? `+${formatBdt(poisha)}` : formatBdt(0);
}

/** The drawers counted by hand per day, before shifts: read-only, kept so
 * those days read as they were closed. Shifts (below) hold the cash since. */
export function Drawers({ till }: { till: TillDay | null }) {
  const lines: DrawerLine[] = till?.drawers ?? [];
  if (lines.length === 0) return null;
  return (
    <>
      <h3>{t("manager.drawer")}</h3>
      <table class="eod-groups drawer" data-testid="drawers">
        <thead>
          <tr>
            <th>{t("manager.counter")}</th>
            <th class="num">{t("manager.openingFloat")}</th>
            <th class="num">{t("manager.cashSales")}</th>
            <th class="num">{t("manager.expected")}</th>
            <th class="num">{t("manager.counted")}</th>
            <th class="num">{t("manager.difference")}</th>
            <th>{t("manager.note")}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.counter} data-testid="drawer-row" data-counter={line.counter}>
              <th>{line.counter}</th>
              <td class="num">{formatBdt(line.openingFloatPoisha)}</td>
              <td class="num">{formatBdt(line.cashSalesPoisha)}</td>
              <td class="num" data-testid="drawer-expected">{formatBdt(line.expectedPoisha)}</td>
              <td class="num">{line.countedPoisha === null ? "—" : formatBdt(line.countedPoisha)}</td>
              <td class={`num${(line.differencePoisha ?? 0) < 0 ? " short" : ""}`} data-testid="drawer-difference">
                {line.differencePoisha === null ? "—" : formatDifference(line.differencePoisha)}
              </td>
              <td>{line.note ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** One shift as the tables show it, from the counter's day or the store's. */
export interface ShiftRowView {
  counter: string;
  shift: number;
  openedBy: string;
  openedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  zNumber: number | null;
  floatPoisha: number;
  cashPoisha: number | null;
  bkashPoisha: number | null;
  expectedPoisha: number | null;
  countedPoisha: number | null;
  differencePoisha: number | null;
  cashiers: { name: string; cash: number; bkash: number }[];
}

/** The day's shifts: each drawer as its close fixed it (an open one as it
 * stands, marked open), its sales, and each cashier's part. */
export function Shifts({ shifts }: { shifts: ShiftLine[] }) {
  const rows = shifts.map((s) => ({
    ...s,
    cashPoisha: s.cash.amountPoisha,
    bkashPoisha: s.bkash.amountPoisha,
    cashiers: s.byCashier.map((c) => ({ name: c.name, cash: c.cash.amountPoisha, bkash: c.bkash.amountPoisha })),
  }));
  return <ShiftsTable rows={rows} testid="shifts" rowTestid="shift-row" />;
}

/** Shifts in a table: rows `<rowTestid>`, with `-expected` and `-difference` cells. */
export function ShiftsTable({ rows, testid, rowTestid }: { rows: ShiftRowView[]; testid: string; rowTestid: string }) {
  if (rows.length === 0) return null;
  const money = (poisha: number | null) => (poisha === null ? "—" : formatBdt(poisha));
  return (
    <>
      <h3>{t("shifts.title")}</h3>
      <table class="eod-groups drawer" data-testid={testid}>
        <thead>
          <tr>
            <th>{t("shifts.shift")}</th>
            <th>{t("shifts.who")}</th>
            <th class="num">{t("manager.openingFloat")}</th>
            <th class="num">{t("manager.cash")}</th>
            <th class="num">bKash</th>
            <th class="num">{t("manager.expected")}</th>
            <th class="num">{t("manager.counted")}</th>
            <th class="num">{t("manager.difference")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={`${s.counter}-${s.shift}`} data-testid={rowTestid} data-counter={s.counter} data-shift={s.shift} data-open={String(s.closedAt === null)}>
              <th>
                {t("shifts.number", { counter: s.counter, number: digits(String(s.shift)) })}
                <div class="hint">{s.zNumber === null ? t("shifts.open") : t("shifts.z", { number: digits(String(s.zNumber)) })}</div>
              </th>
              <td>
                {t("shifts.opened", { name: s.openedBy, time: formatTime(s.openedAt) })}
                {s.closedAt && <div class="hint">{t("shifts.closed", { name: s.closedBy ?? "", time: formatTime(s.closedAt) })}</div>}
                {s.cashiers.map((c) => (
                  <div key={c.name} class="hint" data-testid="shift-cashier">
                    {t("shifts.cashierLine", { name: c.name || t("eod.notRecorded"), cash: formatBdt(c.cash), bkash: formatBdt(c.bkash) })}
                  </div>
                ))}
              </td>
              <td class="num">{formatBdt(s.floatPoisha)}</td>
              <td class="num">{money(s.cashPoisha)}</td>
              <td class="num">{money(s.bkashPoisha)}</td>
              <td class="num" data-testid={`${rowTestid}-expected`}>{money(s.expectedPoisha)}</td>
              <td class="num">{money(s.countedPoisha)}</td>
              <td class={`num${(s.differencePoisha ?? 0) < 0 ? " short" : ""}`} data-testid={`${rowTestid}-difference`}>
                {s.differencePoisha === null ? "—" : formatDifference(s.differencePoisha)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function TopItems({ items }: { items: ItemLine[] }) {
  if (items.length === 0) return null;
  return (
    <>
      <h3>{t("manager.topItems")}</h3>
      <table class="eod-groups" data-testid="top-items">
        <thead>
          <tr>
            <th>{t("cashier.item")}</th>
            <th class="num">{t("manager.quantity")}</th>
            <th class="num">{t("day.amount")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.code ?? item.name} data-testid="top-item">
              <th>
                {item.name}
                {item.code && <span class="mono hint"> {item.code}</span>}
              </th>
              <td class="num">{formatCount(item.quantity)}</td>
              <td class="num">{formatBdt(item.amountPoisha)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Cash per counter, for the end-of-day report. */
export function CashGroups({ till }: { till: TillDay }) {
  return (
    <table class="eod-groups" data-testid="eod-cash-by-counter">
      <tbody>
        {till.cashByCounter.map((g) => (
          <tr key={g.name}>
            <th>
              {t("manager.cash")} · {g.name || t("eod.notRecorded")}
            </th>
            <td class="num">{formatCount(g.completed.count)}</td>
            <td class="num">{formatBdt(g.completed.amountPoisha)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
