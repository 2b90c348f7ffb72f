// The first start on a new PC: a short setup, all from the keyboard, or
// Skip, which leaves the counter in Training. The counter is mounted (and
// hidden) behind it, so it is ready the moment the setup is done.
import { useEffect, useRef, useState } from "preact/hooks";
import { cupsPrinters, firstRunSetup, restartApp, skipFirstRun, testConnection, type AppInfo, type FieldError, type FirstRunForm } from "./ipc";
import { currentChoice, errorText, setChoice, t } from "./i18n";

const ENVIRONMENTS = ["training", "sandbox", "production"] as const;

export function FirstRun({ info, onSkipped }: { info: AppInfo; onSkipped: () => void }) {
  const [form, setForm] = useState<FirstRunForm>({
    shopName: info.shopName,
    counterId: info.counterId,
    pin: "",
    environment: "training",
    product: "checkout",
    credentials: { username: "", password: "", appKey: "", appSecret: "" },
    printer: "none",
    cupsPrinter: null,
    escposAddress: null,
  });
  const [pinAgain, setPinAgain] = useState("");
  const [problems, setProblems] = useState<FieldError[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [connection, setConnection] = useState<string | null>(null);
  const [printers, setPrinters] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  useEffect(() => {
    if (form.printer === "cups") void cupsPrinters().then(setPrinters, () => setPrinters([]));
  }, [form.printer]);

  const set = <K extends keyof FirstRunForm>(key: K, value: FirstRunForm[K]) => setForm({ ...form, [key]: value });
  const setSecret = (key: keyof FirstRunForm["credentials"], value: string) => setForm({ ...form, credentials: { ...form.credentials, [key]: value } });
  const problem = (field: string) => problems.find((p) => p.field === field)?.message;
  const lang = currentChoice().lang;

  const start = async (event: Event) => {
    event.preventDefault();
    if (form.pin !== pinAgain) {
      setProblems([{ field: "pin", message: t("pin.differ") }]);
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const outcome = await firstRunSetup(form);
      if (!outcome.saved) {
        setProblems(outcome.problems);
        return;
      }
      setMessage(t("setup.restarting"));
      await restartApp();
    } catch (e) {
      setMessage(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const skip = async () => {
    try {
      await skipFirstRun();
      onSkipped();
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  const test = async () => {
    setConnection(t("setup.testing"));
    try {
      await testConnection(form);
      setConnection(t("setup.connected"));
    } catch (e) {
      setConnection(errorText(e));
    }
  };

  const text = (field: "shopName" | "counterId", label: string, extra: Record<string, unknown> = {}) => (
    <div class="field">
      <label for={`setup-${field}`}>{label}</label>
      <input id={`setup-${field}`} value={form[field]} onInput={(e) => set(field, e.currentTarget.value)} aria-invalid={problem(field) !== undefined} data-testid={`setup-${field}`} {...extra} />
      {problem(field) && (
        <p class="field-error" role="alert" data-testid={`setup-error-${field}`}>
          {problem(field)}
        </p>
      )}
    </div>
  );

  return (
    <section class="settings first-run" data-testid="first-run">
      <h1>{t("setup.title")}</h1>
      <p class="hint">{t("setup.intro")}</p>
      <form onSubmit={(e) => void start(e)}>
        <fieldset>
          <legend>{t("setup.shop")}</legend>
          {text("shopName", t("settings.shopName"), { ref: first, maxLength: 80 })}
          {text("counterId", t("settings.counterId"), { maxLength: 10 })}
          <div class="field">
            <label for="setup-language">{t("lang.label")}</label>
            <select id="setup-language" value={lang} onChange={(e) => setChoice({ ...currentChoice(), lang: e.currentTarget.value as "en" | "bn" })} data-testid="setup-language">
              <option value="en">English</option>
              <option value="bn">বাংলা</option>
            </select>
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("setup.pin")}</legend>
          <p class="hint">{t("pin.setHint")}</p>
          <input type="password" inputMode="numeric" autoComplete="off" value={form.pin} onInput={(e) => set("pin", e.currentTarget.value)} aria-label={t("pin.label")} data-testid="setup-pin" />
          <input type="password" inputMode="numeric" autoComplete="off" value={pinAgain} onInput={(e) => setPinAgain(e.currentTarget.value)} aria-label={t("pin.again")} data-testid="setup-pin-again" />
          {problem("pin") && (
            <p class="field-error" role="alert" data-testid="setup-error-pin">
              {problem("pin")}
            </p>
          )}
        </fieldset>
        <fieldset>
          <legend>{t("settings.bkash")}</legend>
          {ENVIRONMENTS.map((env) => (
            <label key={env} class="radio">
              <input type="radio" name="setup-environment" checked={form.environment === env} onChange={() => set("environment", env)} data-testid={`setup-environment-${env}`} />
              {t(`settings.${env}`)}
            </label>
          ))}
          {form.environment !== "training" && (
            <div class="credentials">
              {(["checkout", "tokenized"] as const).map((product) => (
                <label key={product} class="radio">
                  <input type="radio" name="setup-product" checked={form.product === product} onChange={() => set("product", product)} data-testid={`setup-product-${product}`} />
                  {t(`settings.product.${product}`)}
                </label>
              ))}
              <p class="hint">{t("settings.keptIn", { place: info.secretsKeptIn })}</p>
              {(
                [
                  ["username", "settings.username", "text"],
                  ["password", "settings.password", "password"],
                  ["appKey", "settings.appKey", "text"],
                  ["appSecret", "settings.appSecret", "password"],
                ] as const
              ).map(([key, label, type]) => (
                <label key={key}>
                  {t(label)}
                  {type === "password" ? (
                    <input type="password" autoComplete="off" value={form.credentials[key]} onInput={(e) => setSecret(key, e.currentTarget.value)} data-testid={`setup-${key}`} />
                  ) : (
                    <input type="text" autoComplete="off" value={form.credentials[key]} onInput={(e) => setSecret(key, e.currentTarget.value)} data-testid={`setup-${key}`} />
                  )}
                </label>
              ))}
              {problem("credentials") && (
                <p class="field-error" role="alert" data-testid="setup-error-credentials">
                  {problem("credentials")}
                </p>
              )}
              <button type="button" onClick={() => void test()} data-testid="setup-test-connection">
                {t("setup.testConnection")}
              </button>
              <small>{t("setup.testCost")}</small>
              {connection && (
                <p role="status" data-testid="setup-connection">
                  {connection}
                </p>
              )}
            </div>
          )}
        </fieldset>
        <fieldset>
          <legend>{t("settings.printer")}</legend>
          {(["none", "cups", "escpos"] as const).map((kind) => (
            <label key={kind} class="radio">
              <input type="radio" name="setup-printer" checked={form.printer === kind} onChange={() => set("printer", kind)} data-testid={`setup-printer-${kind}`} />
              {t(`settings.printer.${kind}`)}
            </label>
          ))}
          {form.printer === "cups" && (
            <select value={form.cupsPrinter ?? ""} onChange={(e) => set("cupsPrinter", e.currentTarget.value || null)} aria-label={t("settings.cupsPrinter")} data-testid="setup-cupsPrinter">
              <option value="" />
              {printers.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          )}
          {form.printer === "escpos" && (
            <input value={form.escposAddress ?? ""} onInput={(e) => set("escposAddress", e.currentTarget.value.trim() || null)} placeholder="192.168.1.50:9100" aria-label={t("settings.escposAddress")} data-testid="setup-escposAddress" />
          )}
          {(problem("cupsPrinter") ?? problem("escposAddress")) && (
            <p class="field-error" role="alert" data-testid="setup-error-printer">
              {problem("cupsPrinter") ?? problem("escposAddress")}
            </p>
          )}
          <small>{t("setup.printerLater")}</small>
        </fieldset>
        {problems.filter((p) => !["shopName", "counterId", "pin", "credentials", "cupsPrinter", "escposAddress"].includes(p.field)).map((p) => (
          <p key={p.field} class="field-error" role="alert" data-testid="setup-error-other">
            {p.message}
          </p>
        ))}
        <div class="confirm-again">
          <button type="submit" class="pay-button" disabled={busy} data-testid="setup-start">
            {t("setup.start")}
          </button>
          <button type="button" class="secondary" onClick={() => void skip()} data-testid="first-run-skip">
            {t("setup.skip")}
          </button>
        </div>
      </form>
      {message && (
        <p role="status" data-testid="setup-message">
          {message}
        </p>
      )}
    </section>
  );
}
