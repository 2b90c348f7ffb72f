// The counter's keyboard, as a hook over the sale's state: F9 pays where the
// shop chose, F8 the other place (Tokenized), F10 opens cash, Esc goes back
// from a question or cancels before the customer confirms, and a scanner's
// characters typed with no field focused go to the item field.
import { useEffect, useRef } from "preact/hooks";
import type { PayAt } from "../ipc";

export interface CounterKeys {
  /** The counter is not on screen (the manager's screens, the first-run setup). */
  hidden: () => boolean;
  primary: PayAt;
  secondary: PayAt | null;
  /** A question is asked (pay again? take cash anyway?): Esc answers "go back". */
  asking: boolean;
  /** The cash panel is open: it handles its own Esc. */
  cashOpen: boolean;
  pay: (place: PayAt) => void;
  openCash: () => void;
  cancel: () => void;
  dismiss: () => void;
  typeInItem: (key: string) => void;
}

export function useCounterKeys(keys: CounterKeys): void {
  // The listener is added once; it reads the latest state through this.
  const latest = useRef(keys);
  latest.current = keys;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const k = latest.current;
      if (k.hidden()) return;
      const target = event.target as HTMLElement | null;
      const inField = target !== null && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
      if (event.key === "F10") {
        event.preventDefault();
        k.openCash();
      } else if (event.key === "Escape" && k.cashOpen) {
        // The cash panel closes itself.
      } else if (!inField && event.key.length === 1 && /[0-9A-Za-z]/.test(event.key) && !event.ctrlKey && !event.altKey && !event.metaKey) {
        if (target?.closest(".manager, .settings, dialog")) return;
        event.preventDefault();
        k.typeInItem(event.key);
      } else if (event.key === "F9") {
        event.preventDefault();
        k.pay(k.primary);
      } else if (event.key === "F8") {
        event.preventDefault();
        if (k.secondary) k.pay(k.secondary);
      } else if (event.key === "Escape" && k.asking) {
        k.dismiss();
      } else if (event.key === "Escape") {
        k.cancel();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
