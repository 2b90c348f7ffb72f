// The UI's whole IPC surface: every `invoke` and `listen` lives in this file,
// so what the webview may ask of the core is visible in one place.
import { invoke } from "@tauri-apps/api/core";

/** Mirrors `app::commands::AppInfo` (camelCase over the wire). */
export interface AppInfo {
  version: string;
  environment: "training" | "sandbox" | "production";
  movesRealMoney: boolean;
  logDir: string;
  /** Why payments are stopped, when the payment journal cannot be used. */
  journalError: string | null;
}

/** Mirrors `app::CommandError`: every command fails with this shape. */
export interface CommandError {
  code: string;
  message: string;
}

export function isCommandError(value: unknown): value is CommandError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Record<string, unknown>).code === "string" &&
    typeof (value as Record<string, unknown>).message === "string"
  );
}

export function appInfo(): Promise<AppInfo> {
  return invoke<AppInfo>("app_info");
}
