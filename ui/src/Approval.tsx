// An action beyond the role of whoever is signed in asks, right there, for
// a supervisor's or manager's PIN, for that one action. The core refuses
// with `role_needed` (naming the action and the least role); this prompt
// asks for the PIN and sends the same request again with it. The core
// checks the PIN and journals both people; the PIN is never kept here.
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { actionText, errorText, isCommandError, t, type Key } from "./i18n";

/** Failures of the approving PIN itself, shown in the prompt. */
const PIN_PROBLEMS = new Set(["pin_wrong", "pin_locked", "pin_format", "role_needed", "not_signed_in"]);

interface Asking {
  action: string;
  least: string;
  retry: (pin: string) => Promise<void>;
  cancel: () => void;
}

/** `[prompt, approved]`: render `prompt`; `approved(call)` runs `call()` and,
 * if the role refuses it, asks for a PIN and runs `call(pin)`. It settles
 * with the call's answer, or rejects with its failure or when cancelled. */
export function useApproval(): [preact.JSX.Element | null, <T>(call: (approval?: string) => Promise<T>) => Promise<T>] {
  const [asking, setAsking] = useState<Asking | null>(null);
  const approved = async <T,>(call: (approval?: string) => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (e) {
      if (!isCommandError(e) || e.code !== "role_needed") throw e;
      const details = e.details ?? {};
      return await new Promise<T>((resolve, reject) =>
        setAsking({
          action: details.action ?? "",
          least: details.least ?? "supervisor",
          retry: async (pin) => {
            try {
              const answer = await call(pin);
              setAsking(null);
              resolve(answer);
            } catch (failed) {
              // A PIN that does not approve is asked for again; any other
              // failure is the action's own, told where the action was asked.
              if (isCommandError(failed) && PIN_PROBLEMS.has(failed.code)) throw failed;
              setAsking(null);
              reject(failed);
            }
          },
          cancel: () => {
            setAsking(null);
            reject(new Cancelled());
          },
        }),
      );
    }
  };
  return [asking && <ApprovalPrompt asking={asking} />, approved];
}

/** `request` with the approving PIN once one was typed; before that the
 * field is absent, not empty. */
export function withApproval<T extends object>(request: T, approval: string | undefined): T & { approval?: string } {
  return approval === undefined ? request : { ...request, approval };
}

/** The prompt was closed without a PIN: nothing was done, and the screen says so. */
export class Cancelled extends Error {
  constructor() {
    super(t("approval.cancelled"));
  }

  // Shown as it is (errorText words any other error as "Error: …").
  override toString(): string {
    return this.message;
  }
}

function ApprovalPrompt({ asking }: { asking: Asking }) {
  const [pin, setPin] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Focused as it appears (autofocus only acts on page load): the PIN's
  // digits go here, never to the item field, and Esc cancels.
  const field = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => field.current?.focus(), []);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      await asking.retry(pin);
    } catch (e) {
      setMessage(errorText(e));
      field.current?.focus();
    } finally {
      setPin("");
      setBusy(false);
    }
  };
  return (
    <div class="approval" role="dialog" aria-modal="true" aria-labelledby="approval-title" data-testid="approval" data-action={asking.action}>
      <form onSubmit={(e) => void submit(e)} onKeyDown={(e) => e.key === "Escape" && (e.preventDefault(), asking.cancel())}>
        <h2 id="approval-title">{t("approval.title", { least: t(`role.${asking.least}` as Key) })}</h2>
        <p>{t("approval.hint", { action: actionText(asking.action) })}</p>
        <input
          ref={field}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          value={pin}
          onInput={(e) => setPin(e.currentTarget.value)}
          aria-label={t("pin.label")}
          data-testid="approval-pin"
        />
        <button type="submit" disabled={busy || pin === ""} data-testid="approval-submit">
          {t("approval.approve")}
        </button>
        <button type="button" class="secondary" onClick={asking.cancel} data-testid="approval-cancel">
          {t("approval.cancel")}
        </button>
        {message && (
          <p class="field-error" role="alert" data-testid="approval-message">
            {message}
          </p>
        )}
      </form>
    </div>
  );
}
