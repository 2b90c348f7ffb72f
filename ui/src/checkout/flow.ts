// The checkout flow, apart from the DOM so that it can be tested with a fake
// bKash script: context → load script → init → create → (customer) →
// execute, or cancel when the customer closes bKash's frame.
import { type CancelReason, type CheckoutContext, type CheckoutCreated, type PaymentView } from "../ipc";
import { formatBdt, parseAmount } from "../money";
import { errorText, reasonText, t } from "../i18n";

/** The part of bKash's checkout.js API that the page uses. */
export interface BkashCheckout {
  init(options: {
    paymentMode: "checkout";
    paymentRequest: { amount: string; intent: "sale" };
    createRequest: (request: unknown) => void;
    executeRequestOnAuthorization: () => void;
    onClose?: () => void;
  }): void;
  create(): { onSuccess(data: CheckoutCreated): void; onError(): void };
  execute(): { onError(): void };
}

export interface CheckoutPage {
  /** Narrows the page's CSP (a `<meta>` policy) before anything loads. */
  restrict(csp: string): void;
  show(context: CheckoutContext, amountText: string): void;
  status(text: string): void;
  error(text: string): void;
  loadScript(url: string): Promise<void>;
  bKash(): BkashCheckout | undefined;
  /** Clicks #bKash_button, which is how bKash's script starts. */
  start(): void;
}

export interface CheckoutCommands {
  context(): Promise<CheckoutContext>;
  create(): Promise<CheckoutCreated>;
  execute(): Promise<PaymentView>;
  cancel(reason: CancelReason): Promise<PaymentView | null>;
}

export async function runCheckout(page: CheckoutPage, commands: CheckoutCommands): Promise<void> {
  let context: CheckoutContext;
  try {
    context = await commands.context();
  } catch (e) {
    page.error(errorText(e));
    return;
  }
  page.restrict(context.csp);
  const parsed = parseAmount(context.amount);
  page.show(context, parsed.ok ? formatBdt(parsed.poisha) : context.amount);
  try {
    await page.loadScript(context.scriptUrl);
  } catch (e) {
    page.error(e instanceof Error ? e.message : String(e));
    page.status(t("checkout.cancelled"));
    await commands.cancel("script_unavailable").catch(() => undefined);
    return;
  }
  const bKash = page.bKash();
  if (!bKash) {
    page.error(t("checkout.notStarted"));
    await commands.cancel("script_unavailable").catch(() => undefined);
    return;
  }
  // Set once execute is sent: from then on only bKash's answer counts, and a
  // close of the frame must not be taken for a cancel.
  let executing = false;
  bKash.init({
    paymentMode: "checkout",
    paymentRequest: { amount: context.amount, intent: "sale" },
    createRequest: () => {
      page.status(t("checkout.starting"));
      commands.create().then(
        (created) => {
          page.status(t("checkout.waiting"));
          bKash.create().onSuccess(created);
        },
        (e: unknown) => {
          page.error(errorText(e));
          bKash.create().onError();
        },
      );
    },
    executeRequestOnAuthorization: () => {
      executing = true;
      page.status(t("checkout.completing"));
      commands.execute().then(
        (view) => {
          if (view.state !== "completed") {
            page.error(reasonText(view) ?? t("checkout.notCompleted"));
            bKash.execute().onError();
          } else {
            page.status(t("checkout.paid"));
          }
        },
        (e: unknown) => {
          page.error(errorText(e));
          bKash.execute().onError();
        },
      );
    },
    onClose: () => {
      if (executing) return;
      page.status(t("checkout.closed"));
      void commands.cancel("customer_closed").catch((e: unknown) => page.error(errorText(e)));
    },
  });
  page.start();
}
