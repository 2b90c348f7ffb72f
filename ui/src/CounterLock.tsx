import { useEffect, useRef, useState } from "preact/hooks";
import { signIn, signOut, staffStatus, staffTouch, type StaffStatus } from "./ipc";
import { errorText, t } from "./i18n";

/** How often the counter asks whether the idle lock has signed the cashier out. */
const CHECK_EVERY_MS = 15_000;
/** Keys and clicks tell the core the cashier is still there, at most this often. */
const TOUCH_EVERY_MS = 20_000;

/**
 * The counter's lock: in a shop with staff accounts, nobody sells until a PIN
 * signs them in, and the core signs them out after the shop's idle minutes.
 * The lock covers the counter; it never unmounts it, so a sale on the screen
 * survives the lock and the switch to another cashier.
 */
export function CounterLock({ shown, onStatus }: { shown: boolean; onStatus: (status: StaffStatus | null) => void }) {
  const [status, setStatus] = useState<StaffStatus | null>(null);
  const who = status ? `${status.hasStaff}:${status.signedIn?.id ?? ""}` : "";
  useEffect(() => onStatus(status), [who]);
  const lastTouch = useRef(0);
  const refresh = () => void staffStatus().then(setStatus, () => setStatus(null));
  useEffect(() => {
    refresh();
    const every = setInterval(refresh, CHECK_EVERY_MS);
    const touch = () => {
      const now = Date.now();
      if (now - lastTouch.current < TOUCH_EVERY_MS) return;
      lastTouch.current = now;
      void staffTouch().catch(() => undefined);
    };
    window.addEventListener("keydown", touch, true);
    window.addEventListener("pointerdown", touch, true);
    return () => {
      clearInterval(every);
      window.removeEventListener("keydown", touch, true);
      window.removeEventListener("pointerdown", touch, true);
    };
  }, []);
  if (!status?.hasStaff) return null;
  if (status.signedIn) {
    const lock = () => void signOut().then(refresh, refresh);
    return (
      <div class="signed-in" hidden={!shown} data-testid="signed-in">
        <span data-testid="signed-in-name">{t("staff.signedIn", { name: status.signedIn.name, role: t(`role.${status.signedIn.role}`) })}</span>
        <button type="button" onClick={lock} data-testid="lock-counter">
          {t("staff.lock")}
        </button>
      </div>
    );
  }
  return shown ? <SignIn onSignedIn={refresh} /> : null;
}

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [pin, setPin] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      await signIn(pin);
      setMessage(null);
      onSignedIn();
    } catch (e) {
      setMessage(errorText(e));
    }
    setPin("");
  };
  return (
    <section class="pin-gate counter-lock" role="dialog" aria-modal="true" aria-labelledby="sign-in-title" data-testid="counter-locked">
      <h1 id="sign-in-title">{t("staff.signInTitle")}</h1>
      <p>{t("staff.signInHint")}</p>
      <form onSubmit={(e) => void submit(e)}>
        <input type="password" inputMode="numeric" autoComplete="off" autoFocus value={pin} onInput={(e) => setPin(e.currentTarget.value)} aria-label={t("pin.label")} data-testid="sign-in-pin" />
        <button type="submit" data-testid="sign-in-submit">
          {t("staff.signIn")}
        </button>
      </form>
      {message && (
        <p class="field-error" role="alert" data-testid="sign-in-message">
          {message}
        </p>
      )}
    </section>
  );
}
