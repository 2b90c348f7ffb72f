import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { managerLock, managerSetPin, managerStatus, managerUnlock, type ManagerStatus } from "./ipc";
import { errorText, t } from "./i18n";

/** Shows `children` only while the manager's session is open; otherwise the
 * PIN gate. The core checks the session on every manager command too. */
export function ManagerGate({ children }: { children: (lock: () => void, expired: () => void) => ComponentChildren }) {
  const [status, setStatus] = useState<ManagerStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    managerStatus().then(setStatus, (e: unknown) => setError(errorText(e)));
  }, []);
  if (error) return <p role="alert">{error}</p>;
  if (!status) return <p aria-busy="true">{t("manager.loading")}</p>;
  if (!status.unlocked) return <PinGate status={status} onOpen={setStatus} />;
  const lock = () => void managerLock().then(setStatus, () => setStatus({ ...status, unlocked: false }));
  return <>{children(lock, () => setStatus({ ...status, unlocked: false }))}</>;
}

function PinGate({ status, onOpen }: { status: ManagerStatus; onOpen: (s: ManagerStatus) => void }) {
  const [pin, setPin] = useState("");
  const [again, setAgain] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!status.pinSet && pin !== again) {
      setMessage(t("pin.differ"));
      return;
    }
    try {
      onOpen(status.pinSet ? await managerUnlock(pin) : await managerSetPin(pin));
    } catch (e) {
      setMessage(errorText(e));
      setPin("");
      setAgain("");
    }
  };
  return (
    <section class="pin-gate" data-testid="pin-gate">
      <h1>{status.pinSet ? t("pin.title") : t("pin.setTitle")}</h1>
      {!status.pinSet && <p>{t("pin.setHint")}</p>}
      <form onSubmit={(e) => void submit(e)}>
        <input type="password" inputMode="numeric" autoComplete="off" autoFocus value={pin} onInput={(e) => setPin(e.currentTarget.value)} aria-label={t("pin.label")} data-testid="pin-input" />
        {!status.pinSet && (
          <input type="password" inputMode="numeric" autoComplete="off" value={again} onInput={(e) => setAgain(e.currentTarget.value)} aria-label={t("pin.again")} data-testid="pin-again" />
        )}
        <button type="submit" data-testid="pin-submit">
          {status.pinSet ? t("pin.open") : t("pin.set")}
        </button>
      </form>
      {message && (
        <p class="field-error" role="alert" data-testid="pin-message">
          {message}
        </p>
      )}
    </section>
  );
}

