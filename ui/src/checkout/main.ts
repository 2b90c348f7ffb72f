// The checkout window's page: loads a bundled jQuery, then bKash's own
// checkout.js from the active environment, and wires bKash.init to the
// app's four checkout commands. bKash's script and frame do the rest.
import jQuery from "jquery";
import { runCheckout, type CheckoutPage } from "./flow";
import { t } from "../i18n";
import { checkoutCancel, checkoutContext, checkoutCreate, checkoutExecute } from "../ipc";

// bKash's script looks for a global jQuery, as on a merchant's web page.
(window as unknown as { jQuery: unknown; $: unknown }).jQuery = jQuery;
(window as unknown as { $: unknown }).$ = jQuery;

const byTestId = (id: string) => document.querySelector<HTMLElement>(`[data-testid=${id}]`)!;

const page: CheckoutPage = {
  restrict(csp) {
    const meta = document.createElement("meta");
    meta.httpEquiv = "Content-Security-Policy";
    meta.content = csp;
    document.head.prepend(meta);
  },
  show(context, amountText) {
    byTestId("checkout-shop").textContent = context.shopName;
    byTestId("checkout-amount").textContent = amountText;
    byTestId("checkout-invoice").textContent = t("checkout.invoice", { invoice: context.invoice });
  },
  status(text) {
    byTestId("checkout-status").textContent = text;
  },
  error(text) {
    byTestId("checkout-error").textContent = text;
  },
  loadScript(url) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = () => resolve();
      script.onerror = () => reject(new Error(t("checkout.scriptFailed", { url })));
      document.head.appendChild(script);
    });
  },
  bKash: () => (window as unknown as { bKash?: ReturnType<CheckoutPage["bKash"]> }).bKash,
  start() {
    byTestId("bkash-button").click();
  },
};

void runCheckout(page, { context: checkoutContext, create: checkoutCreate, execute: checkoutExecute, cancel: checkoutCancel });
