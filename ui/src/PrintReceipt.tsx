import { createContext } from "preact";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import { currentChoice, errorText, isCommandError, t } from "./i18n";
import { printReceipt, type AppInfo, type ReceiptOf as ToPrint } from "./ipc";

/** What the core said about this running app, for screens deep in the tree. */
export const AppInfoContext = createContext<AppInfo | null>(null);

type Outcome = { kind: "printing" } | { kind: "printed" | "failed"; text: string };

/** Which receipt: a bKash payment's, or a sale paid in cash. */
export type ReceiptOf = { payment: number } | { cashSale: string };

/** Prints a paid sale's receipt on the shop's printer (ESC/POS or CUPS)
 * and says how it went, with *Reprint* after a failure; with no printer set
 * up, the print dialog. `auto` prints once by itself (after a paid sale);
 * for cash that first print also opens the drawer. */
export function PrintReceipt({ of, auto = false }: { of: ReceiptOf; auto?: boolean }) {
  const key = "payment" in of ? `p${of.payment}` : `c${of.cashSale}`;
  const info = useContext(AppInfoContext);
  const printer = info?.printer ?? "none";
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const here = useRef<HTMLDivElement>(null);
  const print = async (first = false) => {
    if (printer === "none") {
      window.print();
      return;
    }
    setOutcome({ kind: "printing" });
    // CUPS prints the page: only this payment's receipt may be on the paper,
    // even when the manager's details show another one.
    const receipt = here.current?.closest(".receipt");
    receipt?.classList.add("printing");
    document.body.classList.add("printing-one");
    try {
      const lang = currentChoice().lang;
      const which: ToPrint = "payment" in of ? { kind: "payment", payment: of.payment } : { kind: "cash", orderId: of.cashSale, first };
      const done = await printReceipt(which, lang);
      setOutcome({ kind: "printed", text: t("print.printed", { printer: done.printer }) });
    } catch (e) {
      setOutcome({ kind: "failed", text: errorText(e) });
      if (isCommandError(e) && e.code === "no_printer") window.print();
    } finally {
      receipt?.classList.remove("printing");
      document.body.classList.remove("printing-one");
    }
  };

  const started = useRef<string | null>(null);
  useEffect(() => {
    // A page printer (CUPS) prints what is shown: a receipt on a hidden screen
    // waits for the cashier's Print instead of printing a blank page.
    const shown = printer !== "cups" || (here.current?.offsetParent ?? null) !== null;
    if (auto && printer !== "none" && info?.printAutomatically && shown && started.current !== key) {
      started.current = key;
      void print(true);
    }
  }, [auto, printer, key]);

  return (
    <div class="no-print print-receipt" ref={here}>
      <button type="button" class="secondary" onClick={() => void print()} disabled={outcome?.kind === "printing"} data-testid="print-receipt">
        {outcome?.kind === "failed" ? t("print.reprint") : t("receipt.print")}
      </button>
      {outcome && (
        <p role={outcome.kind === "failed" ? "alert" : "status"} class={outcome.kind === "failed" ? "pay-error" : "hint"} data-testid="print-outcome" data-kind={outcome.kind}>
          {outcome.kind === "printing" ? t("print.printing") : outcome.text}
        </p>
      )}
    </div>
  );
}
