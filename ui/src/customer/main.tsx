// The customer display (`customer.html`): what the customer sees on the
// second screen. It reads the current screen once and then follows the
// `customer-screen` events; it can ask nothing else of the core
// (capabilities/customer-display.json).
import "../locale";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { customerDisplay, onCustomerScreen, type CustomerScreen } from "../ipc";
import { t } from "../i18n";
import { formatBdt, parseAmount } from "../money";

/** A result stays this long, then the display greets the next customer. */
const RESULT_SHOWN_MS = 10_000;

function poisha(amount: string): number {
  const parsed = parseAmount(amount);
  return parsed.ok ? parsed.poisha : 0;
}

function Display() {
  const [screen, setScreen] = useState<CustomerScreen | null>(null);
  const [shopName, setShopName] = useState("");

  useEffect(() => {
    void customerDisplay().then((first) => {
      if (first.kind === "welcome") setShopName(first.shopName);
      setScreen((now) => now ?? first);
    });
    const unlisten = onCustomerScreen(setScreen);
    return () => void unlisten.then((stop) => stop());
  }, []);

  // After Paid or Not paid, back to the welcome.
  useEffect(() => {
    if (!screen || screen.kind === "welcome" || screen.kind === "scan" || screen.kind === "checking") return;
    const back = setTimeout(() => setScreen({ kind: "welcome", shopName }), RESULT_SHOWN_MS);
    return () => clearTimeout(back);
  }, [screen, shopName]);

  if (!screen) return null;
  switch (screen.kind) {
    case "welcome":
      return <h1 data-testid="display-welcome">{t("display.welcome", { shop: screen.shopName })}</h1>;
    case "scan":
      return (
        <section class="scan" data-testid="display-scan">
          <div class="amount" data-testid="display-amount">
            {formatBdt(poisha(screen.amount))}
          </div>
          <svg viewBox={`0 0 ${screen.qr.size} ${screen.qr.size}`} role="img" aria-label={t("phone.label")} shape-rendering="crispEdges">
            <rect width={screen.qr.size} height={screen.qr.size} fill="#fff" />
            <path d={screen.qr.path} fill="#000" />
          </svg>
          <p>{t("display.scan")}</p>
          <p class="invoice">{t("phone.invoice", { invoice: screen.invoice })}</p>
        </section>
      );
    case "paid":
      return (
        <section class="result paid" data-testid="display-paid">
          <div class="amount">{formatBdt(poisha(screen.amount))}</div>
          <h1>{t("display.paid")}</h1>
          {screen.trxID && <p class="invoice">trxID {screen.trxID}</p>}
        </section>
      );
    case "not_paid":
      return (
        <section class="result not-paid" data-testid="display-not-paid">
          <h1>{t("display.notPaid")}</h1>
        </section>
      );
    case "checking":
      return (
        <section class="result" data-testid="display-checking">
          <h1>{t("display.checking")}</h1>
        </section>
      );
  }
}

const root = document.getElementById("display");
if (root) render(<Display />, root);
