import { useEffect, useState } from "preact/hooks";
import { errorText, onRecovery, recoveryStatus, type AppInfo, type RecoverySnapshot } from "./ipc";
import { Cashier } from "./Cashier";
import { SettingsScreen } from "./Settings";
import { Manager } from "./Manager";
import { formatBdt } from "./money";

type Screen = "counter" | "manager" | "settings";

export type Asked = Promise<{ ok: AppInfo } | { err: unknown }>;

export function App({ info: asked }: { info: Asked }) {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [screen, setScreen] = useState<Screen>("counter");

  useEffect(() => {
    void asked.then((answer) => ("ok" in answer ? setInfo(answer.ok) : setError(errorText(answer.err))));
  }, [asked]);

  if (error) {
    return (
      <main class="fatal" data-testid="startup-error">
        <h1>The app could not start</h1>
        <p role="alert">{error}</p>
      </main>
    );
  }
  if (!info) return <main class="loading" aria-busy="true">Starting…</main>;

  return (
    <div class="shell" data-testid="app-ready" data-environment={info.environment}>
      <EnvironmentBanner info={info} />
      {info.paymentsStopped && (
        <div class="banner banner-stopped" role="alert" data-testid="payments-stopped">
          Payments are stopped: {info.paymentsStopped}
        </div>
      )}
      {info.settingsProblem && (
        <div class="banner banner-warning" role="alert" data-testid="settings-problem">
          {info.settingsProblem}
        </div>
      )}
      <RecoveryBanner />
      <nav class="tabs" aria-label="Screens">
        <button type="button" aria-pressed={screen === "counter"} onClick={() => setScreen("counter")} data-testid="tab-counter">
          Counter
        </button>
        <button type="button" aria-pressed={screen === "manager"} onClick={() => setScreen("manager")} data-testid="tab-manager">
          Manager
        </button>
        <button type="button" aria-pressed={screen === "settings"} onClick={() => setScreen("settings")} data-testid="tab-settings">
          Settings
        </button>
        <span class="shop-name">
          {info.shopName} · counter {info.counterId}
        </span>
      </nav>
      {/* The counter stays mounted behind Settings, so a sale in progress is never lost. */}
      <div hidden={screen !== "counter"}>
        <Cashier info={info} />
      </div>
      {screen === "manager" && <Manager />}
      {screen === "settings" && <SettingsScreen />}
    </div>
  );
}

function EnvironmentBanner({ info }: { info: AppInfo }) {
  if (info.environment === "training") {
    return (
      <div class="banner banner-training" role="status" data-testid="training-banner">
        TRAINING MODE: no real money. Payments go to the built-in bKash simulator.
      </div>
    );
  }
  if (info.environment === "sandbox") {
    return (
      <div class="banner banner-sandbox" role="status" data-testid="sandbox-banner">
        SANDBOX: bKash test system, no real money.
      </div>
    );
  }
  return null;
}

const OUTCOME: Record<string, string> = {
  completed: "paid",
  failed: "failed, not charged",
  cancelled: "cancelled, not charged",
  not_charged: "not charged",
};

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
      {n > 0 && (
        <strong data-testid="recovery-checking">
          Checking {n} payment{n === 1 ? "" : "s"} with bKash…
        </strong>
      )}
      <ul>
        {board.checking.map((entry) => (
          <li key={entry.id} data-testid="recovery-entry-checking">
            {formatBdt(entry.amountPoisha)} (order {entry.orderId}): waiting for bKash's answer
          </li>
        ))}
        {board.resolved.map((entry) => (
          <li key={entry.id} data-testid="recovery-entry-resolved" data-state={entry.state}>
            {formatBdt(entry.amountPoisha)} (order {entry.orderId}): {OUTCOME[entry.state] ?? entry.state}
            {entry.trxID ? `, trxID ${entry.trxID}` : ""}
          </li>
        ))}
      </ul>
    </div>
  );
}
