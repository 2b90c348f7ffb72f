import { useState } from "preact/hooks";
import type { RefundView } from "./ipc";
import { amountErrorText, formatBdt, parseAmount } from "./money";
import { errorText, formatCount, t } from "./i18n";

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
  const [busy, setBusy] = useState(false);
  const { prefix } = props;
  const submit = async (event: Event) => {
    event.preventDefault();
    const parsed = parseAmount(amount);
    if (!parsed.ok) {
      props.onMessage(amountErrorText(parsed.error));
      return;
    }
    setBusy(true);
    try {
      props.onMessage(refundOutcome(await props.send(parsed.poisha, sku, reason)));
      setAmount("");
      await props.onDone();
    } catch (e) {
      props.onMessage(errorText(e));
    } finally {
      setBusy(false);
    }
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
