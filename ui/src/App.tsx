import { useEffect, useState } from "preact/hooks";
import { appInfo, isCommandError, type AppInfo } from "./ipc";
import { Cashier } from "./Cashier";

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    appInfo()
      .then(setInfo)
      .catch((e: unknown) => setError(isCommandError(e) ? e.message : String(e)));
  }, []);

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
      {info.journalError && (
        <div class="banner banner-stopped" role="alert" data-testid="journal-error">
          Payments are stopped: {info.journalError}
        </div>
      )}
      <Cashier />
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
