// A paid sale's receipt on screen: the counter, the manager's history and the
// settings page's sample all show this one.
import { digits, t } from "./i18n";
import { formatBdt } from "./money";
import type { AppInfo, PaymentView, SaleView } from "./ipc";
import { formatTime } from "./sale";
import { PrintReceipt } from "./PrintReceipt";

/** A paid sale's receipt, on screen and (print style) on paper: its items
 * when the till kept them, the total, and how it was paid (bKash's trxID
 * and masked wallet, or the cash handed over and the change). `auto` prints
 * it by itself when the shop has a printer that does that. */
export function Receipt({ payment, sale, info, auto = false }: { payment?: PaymentView | null; sale?: SaleView | null; info: AppInfo; auto?: boolean }) {
  const cash = sale?.cash ?? null;
  const amount = payment?.amountPoisha ?? sale?.totalPoisha ?? 0;
  const lines = sale?.lines ?? [];
  const time = cash ? cash.at : (payment?.settledAt ?? payment?.createdAt ?? "");
  return (
    <section class="receipt" aria-label={t("receipt.label")} data-testid="receipt">
      <h2>{info.shopName}</h2>
      {info.environment !== "production" && <p class="receipt-training">{t("receipt.notReal", { environment: info.environment.toUpperCase() })}</p>}
      {lines.length > 0 && (
        <table class="receipt-items" data-testid="receipt-items">
          <tbody>
            {lines.map((line, i) => (
              <tr key={i} data-testid="receipt-item">
                <td>{line.quantity === 1 ? line.name : `${digits(String(line.quantity))} × ${line.name}`}</td>
                <td class="num">{formatBdt(line.quantity * line.unitPoisha)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <dl>
        <dt>{t("receipt.amount")}</dt>
        <dd data-testid="receipt-amount">{formatBdt(amount)}</dd>
        {cash ? (
          <>
            <dt>{t("receipt.cash")}</dt>
            <dd data-testid="receipt-cash">{formatBdt(cash.tenderedPoisha)}</dd>
            <dt>{t("receipt.change")}</dt>
            <dd data-testid="receipt-change">{formatBdt(cash.changePoisha)}</dd>
          </>
        ) : (
          <>
            <dt>{t("receipt.trx")}</dt>
            <dd data-testid="receipt-trxid">{payment?.trxID}</dd>
            <dt>{t("receipt.wallet")}</dt>
            <dd data-testid="receipt-wallet">{payment?.maskedWallet ?? "—"}</dd>
          </>
        )}
        <dt>{t("receipt.time")}</dt>
        <dd data-testid="receipt-time">{time ? formatTime(time) : "—"}</dd>
        <dt>{cash ? t("receipt.sale") : t("receipt.invoice")}</dt>
        <dd class="mono">{cash ? sale?.orderId : payment?.invoice}</dd>
        <dt>{t("receipt.counter")}</dt>
        <dd>{payment?.counterId ?? info.counterId}</dd>
      </dl>
      {payment ? <PrintReceipt of={{ payment: payment.id }} auto={auto} /> : sale && <PrintReceipt of={{ cashSale: sale.orderId }} auto={auto} />}
    </section>
  );
}
