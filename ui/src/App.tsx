import { useEffect, useState } from "preact/hooks";
import {
  bkashStatus,
  journalDamage,
  journalLocked,
  onJournalDamaged,
  onJournalLocked,
  onPayment,
  onRecovery,
  recoveryStatus,
  storeSyncStatus,
  type AppInfo,
  type RecoverySnapshot,
  type StaffStatus,
  type SyncStatus,
  type TokenStatus,
} from "./ipc";
import { Cashier } from "./Cashier";
import { AppInfoContext, PrintReceipt } from "./PrintReceipt";
import { SettingsScreen } from "./Settings";
import { ManagerGate } from "./ManagerGate";
import { FirstRun } from "./FirstRun";
import { CounterLock } from "./CounterLock";
import { ShiftPanel } from "./ShiftPanel";
import { formatBdt } from "./money";
import { digits, errorText, type Key, setChoice, t, useLanguage } from "./i18n";

type Screen = "counter" | "manager" | "settings";

export type Asked = Promise<{ ok: AppInfo } | { err: unknown }>;

export function App({ info: asked }: { info: Asked }) {
  const [loaded, setInfo] = useState<AppInfo | null>(null);
  // Another program holding the journal's lock stops payments like damage,
  // and only while it lasts.
  const [locked, setLocked] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [screen, setScreen] = useState<Screen>("counter");
  // A new PC's first start shows the setup until it is done or skipped.
  const [settingUp, setSettingUp] = useState(false);
  // Staff accounts: the counter waits for a PIN (the sale stays mounted behind).
  const [staff, setStaff] = useState<StaffStatus | null>(null);
  const counterLocked = Boolean(staff?.hasStaff && !staff.signedIn);
  const language = useLanguage();

  useEffect(() => {
    void asked.then((answer) => {
      if ("ok" in answer) {
        setInfo(answer.ok);
        setLocked(answer.ok.journalLocked);
        setSettingUp(answer.ok.firstRun);
      } else setError(errorText(answer.err));
    });
  }, [asked]);
  // Damage found after start-up stops payments the same way as damage at open.
  useEffect(() => {
    const stop = (reason: string) => setInfo((current) => current && { ...current, paymentsStopped: current.paymentsStopped ?? reason });
    const unlisten = onJournalDamaged(stop);
    // Listening now; ask once, so damage found before the listener was set is not missed.
    void unlisten.then(() => journalDamage().then((reason) => reason && stop(reason), () => undefined));
    return () => void unlisten.then((off) => off());
  }, []);
  useEffect(() => {
    const unlisten = onJournalLocked(setLocked);
    void unlisten.then(() => journalLocked().then(setLocked, () => undefined));
    return () => void unlisten.then((off) => off());
  }, []);
  const info = loaded && locked && !loaded.paymentsStopped ? { ...loaded, paymentsStopped: t("banner.journalLocked", { holder: locked }) } : loaded;

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
    <AppInfoContext.Provider value={info}>
    <div class="shell" data-testid="app-ready" data-environment={info.environment} lang={language.lang}>
      <EnvironmentBanner info={info} />
      {info.paymentsStopped && !(locked && !loaded?.paymentsStopped) && (
        <div class="banner banner-stopped" role="alert" data-testid="payments-stopped">
          {t("banner.paymentsStopped", {
            reason: info.stoppedBecause ? t(`start.${info.stoppedBecause.problem}`, { detail: info.stoppedBecause.detail }) : info.paymentsStopped,
          })}
        </div>
      )}
      {locked && !loaded?.paymentsStopped && (
        <div class="banner banner-stopped" role="alert" data-testid="journal-locked">
          {info.paymentsStopped}
        </div>
      )}
      {info.settingsProblem && (
        <div class="banner banner-warning" role="alert" data-testid="settings-problem">
          {info.settingsProblem}
        </div>
      )}
      <BkashStatusBanner />
      {info.storeId && <StoreSyncBanner />}
      <RecoveryBanner printer={info.printer} />
      <nav class="tabs" aria-label={t("aria.screens")} hidden={settingUp}>
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
      {settingUp && <FirstRun info={info} onSkipped={() => setSettingUp(false)} />}
      {/* The counter stays mounted behind other screens, so a sale in progress is never lost. */}
      <CounterLock shown={screen === "counter" && !settingUp} onStatus={setStaff} />
      <div hidden={screen !== "counter" || settingUp || counterLocked}>
        {/* Shifts are people's: a shop with staff accounts keeps its cash in them. */}
        {staff?.hasStaff && staff.signedIn && <ShiftPanel signedIn={staff.signedIn.name} />}
        <Cashier info={info} shown={screen === "counter" && !settingUp && !counterLocked} />
      </div>
      {screen === "manager" && <LazyManager />}
      {screen === "settings" && <ManagerGate>{() => <SettingsScreen />}</ManagerGate>}
    </div>
    </AppInfoContext.Provider>
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
        {info.trainingPhoneAddress && (
          <div data-testid="training-phones">{t("banner.trainingPhones", { address: info.trainingPhoneAddress.split("/p/")[0] ?? "" })}</div>
        )}
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

/** How many entries the recovery banner lists before it folds into its summary line. */
export const RECOVERY_LIST_OPEN_UP_TO = 3;

/** Payments whose outcome is being checked with bKash, and how each ended.
 * One summary line; the list below it opens by itself only while it is
 * short, and scrolls inside a bounded box when opened, so twenty recovered
 * payments never push the counter off a 768 px screen. */
function RecoveryBanner({ printer }: { printer: AppInfo["printer"] }) {
  const [board, setBoard] = useState<RecoverySnapshot>({ checking: [], resolved: [] });
  const [open, setOpen] = useState(false);
  useEffect(() => {
    // Listen first, then read: a change between the two is not lost.
    const unlisten = onRecovery(setBoard);
    recoveryStatus().then(setBoard, () => undefined);
    return () => void unlisten.then((stop) => stop());
  }, []);
  const total = board.checking.length + board.resolved.length;
  if (total === 0) return null;
  const n = board.checking.length;
  const paid = board.resolved.filter((entry) => entry.state === "completed").length;
  const folds = total > RECOVERY_LIST_OPEN_UP_TO;
  const shown = !folds || open;
  return (
    <div class={`banner ${n > 0 ? "banner-checking" : "banner-resolved"}`} role="status" data-testid="recovery-banner">
      <div class="banner-summary" data-testid="recovery-summary">
        {n > 0 && <strong data-testid="recovery-checking">{n === 1 ? t("recovery.checkingOne") : t("recovery.checking", { count: n })}</strong>}
        {board.resolved.length > 0 && (
          <span>
            {" "}
            {t("recovery.summaryResolved", { count: board.resolved.length, paid, notPaid: board.resolved.length - paid })}
          </span>
        )}
        {folds && (
          <button type="button" class="link" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="recovery-toggle">
            {open ? t("recovery.hide") : t("recovery.showAll", { count: total })}
          </button>
        )}
      </div>
      {shown && (
        <ul class="banner-list">
          {board.checking.map((entry) => (
            <li key={entry.id} data-testid="recovery-entry-checking">
              {t("recovery.waiting", { amount: formatBdt(entry.amountPoisha), invoice: entry.invoice, order: entry.orderId })}
            </li>
          ))}
          {board.resolved.map((entry) => (
            <li key={entry.id} data-testid="recovery-entry-resolved" data-state={entry.state}>
              {t("recovery.resolved", { amount: formatBdt(entry.amountPoisha), invoice: entry.invoice, order: entry.orderId, outcome: t(`outcome.${entry.state}` as Key) })}
              {entry.trxID ? t("recovery.trx", { trx: entry.trxID }) : ""}
              {/* A thermal printer needs no page: the receipt of a recovered sale prints from here. */}
              {entry.state === "completed" && printer === "escpos" && <PrintReceipt of={{ payment: entry.id }} />}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** How often the counter re-reads its store sync state (a local read). */
const STORE_SYNC_EVERY_MS = 5_000;

/** Bangladesh time of an RFC 3339 instant, as the banners show it. */
function dhakaTime(at: string): string {
  return digits(new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Dhaka", hour: "2-digit", minute: "2-digit", hour12: false }).format(new Date(at)));
}

/** Says, on every screen, when this counter's journal has not reached the
 * store's database: how many changes wait and since when the store has not
 * answered. Payments go on regardless: the journal keeps everything. */
function StoreSyncBanner() {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  useEffect(() => {
    const read = () => storeSyncStatus().then(setStatus, () => setStatus(null));
    read();
    const timer = setInterval(read, STORE_SYNC_EVERY_MS);
    return () => clearInterval(timer);
  }, []);
  if (!status) return null;
  if (status.refused) {
    return (
      <div class="banner banner-stopped" role="alert" data-testid="store-refused">
        {t("store.refused", { problem: status.problem ?? "" })}
      </div>
    );
  }
  if (status.pending === 0 || !status.offlineSince) return null;
  return (
    <div class="banner banner-warning" role="status" data-testid="store-backlog" data-pending={status.pending}>
      {t("store.backlog", { count: digits(String(status.pending)), time: dhakaTime(status.offlineSince) })}
    </div>
  );
}

/** How often the counter re-reads bKash's sign-in state (a local read; bKash is not asked). */
const BKASH_STATUS_EVERY_MS = 10_000;

/** Says, on every screen, when bKash payments cannot start and until when:
 * the hourly token budget is spent, token calls are cooling down after an
 * unanswered one, or bKash refused the token it had just issued. */
function BkashStatusBanner() {
  const [status, setStatus] = useState<TokenStatus | null>(null);
  useEffect(() => {
    const read = () => bkashStatus().then(setStatus, () => setStatus(null));
    read();
    const timer = setInterval(read, BKASH_STATUS_EVERY_MS);
    const unlisten = onPayment(() => void read());
    return () => {
      clearInterval(timer);
      void unlisten.then((stop) => stop());
    };
  }, []);
  if (!status) return null;
  if (status.pausedUntil && status.pausedBecause) {
    const time = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Dhaka", hour: "2-digit", minute: "2-digit", hour12: false }).format(
      new Date(status.pausedUntil),
    );
    return (
      <div class="banner banner-stopped" role="alert" data-testid="bkash-paused" data-cause={status.pausedBecause}>
        {t(`bkash.paused.${status.pausedBecause}`, { time: digits(time), budget: status.budgetPerHour })}
      </div>
    );
  }
  if (status.tokenRejected) {
    return (
      <div class="banner banner-stopped" role="alert" data-testid="bkash-token-rejected">
        {t("bkash.tokenRejected")}
      </div>
    );
  }
  return null;
}
