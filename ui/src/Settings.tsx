import type { ComponentChildren } from "preact";
import { useContext, useEffect, useState } from "preact/hooks";
import { Receipt } from "./Receipt";
import { AppInfoContext } from "./PrintReceipt";
import { currentChoice, errorText, t } from "./i18n";
import { PHONE_TIMEOUT_SECS } from "./generated/types";
import {
  cupsPrinters,
  getSettings,
  restartApp,
  saveSettings,
  testPrint,
  type CredentialsForm,
  type FieldError,
  type PaymentView,
  type Settings,
  type SettingsView,
  type StoreSettings,
} from "./ipc";

/** What the store section starts from when a manager switches it on. */
const NEW_STORE: StoreSettings = { host: "", port: 5432, database: "bkash_store", user: "bkash_counter", tls: "verified", caFile: null, storeId: "" };

const EMPTY_CREDENTIALS: CredentialsForm = { username: "", password: "", appKey: "", appSecret: "" };

/** Shop, environment, bKash URLs, timeouts and credentials. Secrets are
 * write-only here: the screen never receives a stored one. */
/** The test print's sample: a paid sale of nothing, marked TEST. */
function samplePayment(): PaymentView {
  const now = new Date().toISOString();
  return {
    id: 0, orderId: "TEST", invoice: "TEST", state: "completed", amountPoisha: 0, paymentID: null, trxID: "TEST", maskedWallet: null,
    reason: null, bkashMessage: null, counterId: null, payAt: "counter", statusPolls: 0, createdAt: now, settledAt: now,
  };
}

export function SettingsScreen() {
  const info = useContext(AppInfoContext);
  const [view, setView] = useState<SettingsView | null>(null);
  const [draft, setDraft] = useState<Settings | null>(null);
  const [credentials, setCredentials] = useState<CredentialsForm>(EMPTY_CREDENTIALS);
  const [problems, setProblems] = useState<FieldError[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [restart, setRestart] = useState(false);
  const [printers, setPrinters] = useState<string[] | null>(null);
  const [printMessage, setPrintMessage] = useState<string | null>(null);
  const [storePassword, setStorePassword] = useState("");

  useEffect(() => {
    getSettings().then(
      (v) => {
        setView(v);
        setDraft(v.settings);
      },
      (e: unknown) => setMessage(errorText(e)),
    );
  }, []);

  if (!view || !draft) return <section class="settings" aria-busy="true">{message ?? t("settings.loading")}</section>;

  const tryPrinter = async () => {
    setPrintMessage(t("print.printing"));
    try {
      const { printer, cupsPrinter, escposAddress, paper, openDrawer } = draft;
      const done = await testPrint({ printer, cupsPrinter, escposAddress, paper, openDrawer }, currentChoice().lang);
      setPrintMessage(t("print.printed", { printer: done.printer }));
    } catch (e) {
      setPrintMessage(errorText(e));
    }
  };
  const choosePrinter = (kind: Settings["printer"]) => {
    setDraft({ ...draft, printer: kind });
    if (kind === "cups" && printers === null) void cupsPrinters().then(setPrinters, () => setPrinters([]));
  };

  const problemFor = (field: string) => problems.find((p) => p.field === field)?.message;
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => setDraft({ ...draft, [key]: value });
  const optional = (text: string) => (text.trim() === "" ? null : text.trim());

  const save = async (event: Event) => {
    event.preventDefault();
    setMessage(null);
    try {
      const outcome = await saveSettings(draft, credentials, storePassword || null);
      setProblems(outcome.problems);
      if (outcome.saved) {
        setCredentials(EMPTY_CREDENTIALS);
        setStorePassword("");
        setRestart(outcome.restartNeeded);
        setMessage(outcome.restartNeeded ? t("settings.savedRestart") : t("settings.saved"));
      } else {
        setMessage(t("settings.notSaved"));
      }
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  const text = (field: keyof Settings, label: string, hint?: string) => (
    <Field label={label} field={field} problem={problemFor(field)} hint={hint}>
      <input
        id={`setting-${field}`}
        value={(draft[field] as string | null) ?? ""}
        onInput={(e) => set(field, (field === "baseUrl" || field === "scriptUrl" || field === "callbackUrl" ? optional(e.currentTarget.value) : e.currentTarget.value) as never)}
        aria-invalid={problemFor(field) !== undefined}
        data-testid={`setting-${field}`}
      />
    </Field>
  );
  const number = (field: "timeoutSecs" | "connectTimeoutSecs" | "phoneTimeoutSecs", label: string, hint?: string) => (
    <Field label={label} field={field} problem={problemFor(field)} hint={hint}>
      <input
        id={`setting-${field}`}
        inputMode="numeric"
        value={String(draft[field])}
        onInput={(e) => set(field, /^\d{1,4}$/.test(e.currentTarget.value) ? Number(e.currentTarget.value) : 0)}
        aria-invalid={problemFor(field) !== undefined}
        data-testid={`setting-${field}`}
      />
    </Field>
  );
  const check = (field: "customerDisplay" | "trainingPhoneAccess" | "printAutomatically" | "openDrawer" | "startOnLogin", label: string, hint?: string) => (
    <Field label={label} field={field} problem={problemFor(field)} hint={hint}>
      <input
        id={`setting-${field}`}
        type="checkbox"
        checked={draft[field]}
        onChange={(e) => set(field, e.currentTarget.checked)}
        data-testid={`setting-${field}`}
      />
    </Field>
  );
  const secret = (field: keyof CredentialsForm, label: string, kind: "text" | "password") => (
    <Field label={label} field={field} problem={problemFor(field)} hint={view.credentials.stored ? t("settings.stored") : undefined}>
      <input
        id={`setting-${field}`}
        type={kind as "password"}
        autoComplete="off"
        value={credentials[field]}
        onInput={(e) => setCredentials({ ...credentials, [field]: e.currentTarget.value })}
        aria-invalid={problemFor(field) !== undefined}
        data-testid={`setting-${field}`}
      />
    </Field>
  );

  return (
    <section class="settings" data-testid="settings-screen">
      <h1>{t("settings.title")}</h1>
      <form onSubmit={(e) => void save(e)}>
        {text("shopName", t("settings.shopName"), t("settings.shopNameHint"))}
        {text("counterId", t("settings.counterId"), t("settings.counterIdHint"))}
        <fieldset>
          <legend>{t("settings.bkash")}</legend>
          {(["training", "sandbox", "production"] as const).map((env) => (
            <label key={env} class="radio">
              <input type="radio" name="environment" checked={draft.environment === env} onChange={() => setDraft({ ...draft, environment: env, trainingPhoneAccess: env === "training" && draft.trainingPhoneAccess })} data-testid={`setting-environment-${env}`} />
              {t(`settings.${env}`)}
            </label>
          ))}
          <fieldset class="product">
            <legend>{t("settings.product")}</legend>
            {(["checkout", "tokenized"] as const).map((product) => (
              <label key={product} class="radio">
                <input type="radio" name="product" checked={draft.product === product} onChange={() => setDraft({ ...draft, product, payAt: product === "tokenized" ? draft.payAt : "counter" })} data-testid={`setting-product-${product}`} />
                {t(`settings.product.${product}`)}
              </label>
            ))}
            <small>{t("settings.productHint")}</small>
          </fieldset>
          {draft.product === "tokenized" && text("callbackUrl", t("settings.callbackUrl"), t("settings.callbackUrlHint"))}
          {draft.product === "tokenized" && (
            <fieldset class="pay-at">
              <legend>{t("settings.payAt")}</legend>
              {(["counter", "phone"] as const).map((place) => (
                <label key={place} class="radio">
                  <input type="radio" name="payAt" checked={draft.payAt === place} onChange={() => set("payAt", place)} data-testid={`setting-payAt-${place}`} />
                  {t(`settings.payAt.${place}`)}
                </label>
              ))}
              <small>{t("settings.payAtHint")}</small>
              {problemFor("payAt") && (
                <p class="field-error" role="alert" data-testid="field-error-payAt">
                  {problemFor("payAt")}
                </p>
              )}
            </fieldset>
          )}
          {draft.product === "tokenized" && number("phoneTimeoutSecs", t("settings.phoneTimeout"), t("settings.phoneTimeoutHint", { min: PHONE_TIMEOUT_SECS.min, max: PHONE_TIMEOUT_SECS.max }))}
          {draft.product === "tokenized" && check("customerDisplay", t("settings.customerDisplay"))}
          {draft.product === "tokenized" && draft.environment === "training" && check("trainingPhoneAccess", t("settings.trainingPhoneAccess"), t("settings.trainingPhoneAccessHint"))}
          {draft.environment !== "training" && (
            <div class="credentials">
              <p class="hint">{t("settings.keptIn", { place: view.secretsKeptIn })}</p>
              {secret("username", t("settings.username"), "text")}
              {secret("password", t("settings.password"), "password")}
              {secret("appKey", t("settings.appKey"), "text")}
              {secret("appSecret", t("settings.appSecret"), "password")}
            </div>
          )}
          {text("baseUrl", t("settings.baseUrl"), t("settings.baseUrlHint"))}
          {draft.product === "checkout" && text("scriptUrl", t("settings.scriptUrl"), t("settings.scriptUrlHint"))}
          {number("timeoutSecs", t("settings.timeout"))}
          {number("connectTimeoutSecs", t("settings.connectTimeout"))}
        </fieldset>
        <fieldset class="printer">
          <legend>{t("settings.printer")}</legend>
          {(["none", "cups", "escpos"] as const).map((kind) => (
            <label key={kind} class="radio">
              <input type="radio" name="printer" checked={draft.printer === kind} onChange={() => choosePrinter(kind)} data-testid={`setting-printer-${kind}`} />
              {t(`settings.printer.${kind}`)}
            </label>
          ))}
          {draft.printer === "cups" && (
            <Field label={t("settings.cupsPrinter")} field="cupsPrinter" problem={problemFor("cupsPrinter")} hint={printers?.length === 0 ? t("settings.cupsNone") : undefined}>
              <select id="setting-cupsPrinter" value={draft.cupsPrinter ?? ""} onChange={(e) => set("cupsPrinter", e.currentTarget.value || null)} data-testid="setting-cupsPrinter">
                <option value="" />
                {[...new Set([...(printers ?? []), ...(draft.cupsPrinter ? [draft.cupsPrinter] : [])])].map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </Field>
          )}
          {draft.printer === "escpos" && (
            <Field label={t("settings.escposAddress")} field="escposAddress" problem={problemFor("escposAddress")} hint={t("settings.escposAddressHint")}>
              <input
                id="setting-escposAddress"
                value={draft.escposAddress ?? ""}
                onInput={(e) => set("escposAddress", optional(e.currentTarget.value))}
                aria-invalid={problemFor("escposAddress") !== undefined}
                placeholder="192.168.1.50:9100"
                data-testid="setting-escposAddress"
              />
            </Field>
          )}
          {draft.printer !== "none" && (
            <>
              <div class="field">
                <span>{t("settings.paper")}</span>
                {(["58mm", "80mm"] as const).map((paper) => (
                  <label key={paper} class="radio">
                    <input type="radio" name="paper" checked={draft.paper === paper} onChange={() => set("paper", paper)} data-testid={`setting-paper-${paper}`} />
                    {paper.replace("mm", " mm")}
                  </label>
                ))}
              </div>
              {check("printAutomatically", t("settings.printAutomatically"))}
              {draft.printer === "escpos" && check("openDrawer", t("settings.openDrawer"))}
              <button type="button" onClick={() => void tryPrinter()} data-testid="test-print">
                {t("print.test")}
              </button>
              {printMessage && (
                <p role="status" data-testid="test-print-message">
                  {printMessage}
                </p>
              )}
              {/* What a CUPS test print puts on paper (the print style shows only receipts). */}
              {info && draft.printer === "cups" && (
                <div class="print-only">
                  <Receipt payment={samplePayment()} info={{ ...info, shopName: draft.shopName }} />
                </div>
              )}
            </>
          )}
        </fieldset>
        <StoreSection
          store={draft.store}
          onChange={(store) => set("store", store)}
          password={storePassword}
          onPassword={setStorePassword}
          problemFor={problemFor}
        />
        {check("startOnLogin", t("settings.startOnLogin"))}
        <button type="submit" data-testid="save-settings">
          {t("settings.save")}
        </button>
      </form>
      {message && (
        <p role="status" data-testid="settings-message">
          {message}
        </p>
      )}
      {restart && (
        <button type="button" onClick={() => restartApp().catch((e: unknown) => setMessage(errorText(e)))} data-testid="restart-app">
          {t("settings.restart")}
        </button>
      )}
    </section>
  );
}

/** The store's database: host, port, database, user, password (to the
 * vault; never shown back), TLS and the store id. The counter id above is
 * this counter's id in the store. */
function StoreSection(props: {
  store: StoreSettings | null;
  onChange: (store: StoreSettings | null) => void;
  password: string;
  onPassword: (password: string) => void;
  problemFor: (field: string) => string | undefined;
}) {
  // Settings saved before stores existed have no `store` at all.
  const store = props.store ?? null;
  const { onChange, problemFor } = props;
  const field = (key: "host" | "database" | "user" | "storeId", id: string, label: string) =>
    store && (
      <Field label={label} field={id} problem={problemFor(id)}>
        <input id={`setting-${id}`} value={store[key]} onInput={(e) => onChange({ ...store, [key]: e.currentTarget.value.trim() })} aria-invalid={problemFor(id) !== undefined} data-testid={`setting-${id}`} />
      </Field>
    );
  return (
    <fieldset class="store" data-testid="settings-store">
      <legend>{t("settings.store")}</legend>
      <label class="radio">
        <input type="checkbox" checked={store !== null} onChange={(e) => onChange(e.currentTarget.checked ? NEW_STORE : null)} data-testid="setting-storeOn" />
        {t("settings.storeOn")}
      </label>
      {store && (
        <>
          {field("host", "storeHost", t("settings.storeHost"))}
          <Field label={t("settings.storePort")} field="storePort" problem={problemFor("storePort")}>
            <input
              id="setting-storePort"
              inputMode="numeric"
              value={String(store.port)}
              onInput={(e) => onChange({ ...store, port: /^\d{1,5}$/.test(e.currentTarget.value) ? Math.min(Number(e.currentTarget.value), 65535) : 0 })}
              data-testid="setting-storePort"
            />
          </Field>
          {field("database", "storeDatabase", t("settings.storeDatabase"))}
          {field("user", "storeUser", t("settings.storeUser"))}
          <Field label={t("settings.storePassword")} field="storePassword" problem={problemFor("storePassword")} hint={t("settings.stored")}>
            <input id="setting-storePassword" type="password" autoComplete="off" value={props.password} onInput={(e) => props.onPassword(e.currentTarget.value)} data-testid="setting-storePassword" />
          </Field>
          <div class="field">
            <span>{t("settings.storeTls")}</span>
            {(["verified", "off"] as const).map((tls) => (
              <label key={tls} class="radio">
                <input type="radio" name="storeTls" checked={store.tls === tls} onChange={() => onChange({ ...store, tls })} data-testid={`setting-storeTls-${tls}`} />
                {t(tls === "off" ? "settings.storeTlsOff" : "settings.storeTlsVerified")}
              </label>
            ))}
            {problemFor("storeTls") && (
              <p class="field-error" role="alert" data-testid="field-error-storeTls">
                {problemFor("storeTls")}
              </p>
            )}
          </div>
          {store.tls === "verified" && (
            <Field label={t("settings.storeCaFile")} field="storeCaFile" problem={problemFor("storeCaFile")}>
              <input id="setting-storeCaFile" value={store.caFile ?? ""} onInput={(e) => onChange({ ...store, caFile: e.currentTarget.value.trim() || null })} data-testid="setting-storeCaFile" />
            </Field>
          )}
          {field("storeId", "storeId", t("settings.storeId"))}
        </>
      )}
    </fieldset>
  );
}

function Field(props: { label: string; field: string; problem?: string | undefined; hint?: string | undefined; children: ComponentChildren }) {
  return (
    <div class="field">
      <label for={`setting-${props.field}`}>{props.label}</label>
      {props.children}
      {props.hint && <small>{props.hint}</small>}
      {props.problem && (
        <p class="field-error" role="alert" data-testid={`field-error-${props.field}`}>
          {props.problem}
        </p>
      )}
    </div>
  );
}
