// The till's side of the manager's day: cash beside bKash, each counter's
// drawer (float, expected, counted, difference with a note) and the items
// sold. Shared by the day view (editable drawer) and the end-of-day report.
import { useState } from "preact/hooks";
import { countDrawer, type DrawerLine, type ItemLine, type TillDay } from "./ipc";
import { amountErrorText, formatBdt, parseAmount } from "./money";
import { errorText, formatCount, t } from "./i18n";

/** A signed difference: "−৳20.00" when cash is missing. */
export function formatDifference(poisha: number): string {
  return poisha < 0 ? `−${formatBdt(-poisha)}` : poisha > 0 ? `+${formatBdt(poisha)}` : formatBdt(0);
}

/** The drawers of the day; `counter` (this PC's) is listed even before its first count. */
export function Drawers({ till, counter, date, editable, onSaved }: { till: TillDay | null; counter?: string | undefined; date: string; editable: boolean; onSaved?: (() => void) | undefined }) {
  const lines: DrawerLine[] = [...(till?.drawers ?? [])];
  if (counter && !lines.some((d) => d.counter === counter)) {
    lines.push({ counter, openingFloatPoisha: 0, cashSalesPoisha: 0, expectedPoisha: 0, countedPoisha: null, differencePoisha: null, note: null });
  }
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
          {lines.map((d) =>
            editable ? <DrawerEdit key={d.counter} line={d} date={date} onSaved={onSaved} /> : <DrawerRow key={d.counter} line={d} />,
          )}
        </tbody>
      </table>
    </>
  );
}

function DrawerRow({ line }: { line: DrawerLine }) {
  return (
    <tr data-testid="drawer-row" data-counter={line.counter}>
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
  );
}

/** A field's text for an amount: empty for none (and for a float not set yet). */
const money = (poisha: number | null) => (poisha === null || poisha === 0 ? "" : (poisha / 100).toFixed(2));

function DrawerEdit({ line, date, onSaved }: { line: DrawerLine; date: string; onSaved?: (() => void) | undefined }) {
  const [float, setFloat] = useState(money(line.openingFloatPoisha));
  const [counted, setCounted] = useState(money(line.countedPoisha));
  const [note, setNote] = useState(line.note ?? "");
  const [message, setMessage] = useState<string | null>(null);
  const save = async (event: Event) => {
    event.preventDefault();
    const f = float.trim() === "" ? ({ ok: true, poisha: 0 } as const) : parseAmount(float);
    const c = counted.trim() === "" ? null : parseAmount(counted);
    if (!f.ok) return setMessage(amountErrorText(f.error));
    if (c && !c.ok) return setMessage(amountErrorText(c.error));
    try {
      await countDrawer({ date, counterId: line.counter, openingFloatPoisha: f.poisha, countedPoisha: c ? c.poisha : null, note: note.trim() || null });
      setMessage(t("manager.countSaved"));
      onSaved?.();
    } catch (e) {
      setMessage(errorText(e));
    }
  };
  const formId = `drawer-${line.counter}`;
  return (
    <tr data-testid="drawer-row" data-counter={line.counter}>
      <th>{line.counter}</th>
      <td class="num">
        <input form={formId} value={float} placeholder="0.00" onInput={(e) => setFloat(e.currentTarget.value)} inputMode="decimal" class="qty" aria-label={t("manager.openingFloat")} data-testid="drawer-float" />
      </td>
      <td class="num">{formatBdt(line.cashSalesPoisha)}</td>
      <td class="num" data-testid="drawer-expected">{formatBdt(line.expectedPoisha)}</td>
      <td class="num">
        <input form={formId} value={counted} placeholder="—" onInput={(e) => setCounted(e.currentTarget.value)} inputMode="decimal" class="qty" aria-label={t("manager.counted")} data-testid="drawer-counted" />
      </td>
      <td class={`num${(line.differencePoisha ?? 0) < 0 ? " short" : ""}`} data-testid="drawer-difference">
        {line.differencePoisha === null ? "—" : formatDifference(line.differencePoisha)}
      </td>
      <td>
        <form id={formId} onSubmit={(e) => void save(e)} class="drawer-form">
          <input value={note} maxLength={200} onInput={(e) => setNote(e.currentTarget.value)} aria-label={t("manager.note")} data-testid="drawer-note" />
          <button type="submit" data-testid="drawer-save">
            {t("manager.saveCount")}
          </button>
        </form>
        {message && (
          <p role="status" class="hint" data-testid="drawer-message">
            {message}
          </p>
        )}
      </td>
    </tr>
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
