import { useEffect, useState } from "preact/hooks";
import { errorText, onRecovery, recoveryStatus, type AppInfo, type RecoverySnapshot } from "./ipc";
import { Cashier } from "./Cashier";
import { SettingsScreen } from "./Settings";
import { ManagerGate } from "./ManagerGate";
import { formatBdt } from "./money";
import { setChoice, t, useLanguage, type Key } from "./i18n";

type Screen = "counter" | "manager" | "settings";

export type Asked = Promise<{ ok: AppInfo } | { err: unknown }>;

export function App({ info: asked }: { info: Asked }) {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [screen, setScreen] = useState<Screen>("counter");
  const language = useLanguage();

  useEffect(() => {
    void asked.then((answer) => ("ok" in answer ? setInfo(answer.ok) : setError(errorText(answer.err))));
  }, [asked]);

  if (error) {
    return (
      <main class="fatal" data-testid="startup-error">
        <h1>{t("app.startFailed")}</h1>
        <p role="alert">{error}</p>
      </main>
    );
  }
  if (!info) return <main class="loading" aria-busy="true">{t("app.starting")}</main>;

  return (
    <div class="shell" data-testid="app-ready" data-environment={info.environment} lang={language.lang}>
      <EnvironmentBanner info={info} />
      {info.paymentsStopped && (
        <div class="banner banner-stopped" role="alert" data-testid="payments-stopped">
          {t("banner.paymentsStopped", { reason: info.paymentsStopped })}
        </div>
      )}
      {info.settingsProblem && (
        <div class="banner banner-warning" role="alert" data-testid="settings-problem">
          {info.settingsProblem}
        </div>
      )}
      <RecoveryBanner />
      <nav class="tabs" aria-label={t("aria.screens")}>
        {(["counter", "manager", "settings"] as const).map((name) => (
          <button key={name} type="button" aria-pressed={screen === name} onClick={() => setScreen(name)} data-testid={`tab-${name}`}>
            {t(`tab.${name}`)}
          </button>
        ))}
        <span class="shop-name">{t("shop.counter", { shop: info.shopName, counter: info.counterId })}</span>
        <label class="language">
          {t("lang.label")}
          <select value={language.lang} onChange={(e) => setChoice({ ...language, lang: e.currentTarget.value as "en" | "bn" })} data-testid="language">
            <option value="en">English</option>
            <option value="bn">বাংলা</option>
          </select>
        </label>
        <label class="language">
          <input type="checkbox" checked={language.bengaliDigits} onChange={(e) => setChoice({ ...language, bengaliDigits: e.currentTarget.checked })} data-testid="bengali-digits" />
          {t("lang.digits")}
        </label>
      </nav>
      {/* The counter stays mounted behind other screens, so a sale in progress is never lost. */}
      <div hidden={screen !== "counter"}>
        <Cashier info={info} />
      </div>
      {screen === "manager" && <LazyManager />}
      {screen === "settings" && <ManagerGate>{() => <SettingsScreen />}</ManagerGate>}
    </div>
  );
}

/** The manager's screens, fetched the first time they are opened. */
function LazyManager() {
  const [Loaded, setLoaded] = useState<(() => preact.JSX.Element) | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    import("./Manager").then(
      (module) => setLoaded(() => module.Manager),
      (e: unknown) => setError(String(e)),
    );
  }, []);
  if (error) return <p role="alert">{error}</p>;
  return Loaded ? <Loaded /> : <p aria-busy="true">{t("manager.loading")}</p>;
}

function EnvironmentBanner({ info }: { info: AppInfo }) {
  if (info.environment === "training") {
    return (
      <div class="banner banner-training" role="status" data-testid="training-banner">
        {t("banner.training")}
      </div>
    );
  }
  if (info.environment === "sandbox") {
    return (
      <div class="banner banner-sandbox" role="status" data-testid="sandbox-banner">
        {t("banner.sandbox")}
      </div>
    );
  }
  return null;
}

/** Payments whose outcome is being checked with bKash, and how each ended. */
function RecoveryBanner() {
  const [board, setBoard] = useState<RecoverySnapshot>({ checking: [], resolved: [] });
  useEffect(() => {
    // Listen first, then read: a change between the two is not lost.
    const unlisten = onRecovery(setBoard);
    recoveryStatus().then(setBoard, () => undefined);
    return () => void unlisten.then((stop) => stop());
  }, []);
  if (board.checking.length === 0 && board.resolved.length === 0) return null;
  const n = board.checking.length;
  return (
    <div class={`banner ${n > 0 ? "banner-checking" : "banner-resolved"}`} role="status" data-testid="recovery-banner">
      {n > 0 && <strong data-testid="recovery-checking">{n === 1 ? t("recovery.checkingOne") : t("recovery.checking", { count: n })}</strong>}
      <ul>
        {board.checking.map((entry) => (
          <li key={entry.id} data-testid="recovery-entry-checking">
            {t("recovery.waiting", { amount: formatBdt(entry.amountPoisha), order: entry.orderId })}
          </li>
        ))}
        {board.resolved.map((entry) => (
          <li key={entry.id} data-testid="recovery-entry-resolved" data-state={entry.state}>
            {t("recovery.resolved", { amount: formatBdt(entry.amountPoisha), order: entry.orderId, outcome: t(`outcome.${entry.state}` as Key) })}
            {entry.trxID ? t("recovery.trx", { trx: entry.trxID }) : ""}
          </li>
        ))}
      </ul>
    </div>
  );
}
