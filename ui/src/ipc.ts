// The UI's whole IPC surface: every `invoke` and `listen` lives in this file,
// so what the webview may ask of the core is visible in one place.
//
// The interfaces mirror Rust structs field for field; `tests/it/ipc_types.rs`
// reads this file and fails when a field is added, renamed or removed on
// either side.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

/** Mirrors `app::commands::AppInfo`. */
export interface AppInfo {
  version: string;
  environment: "training" | "sandbox" | "production";
  movesRealMoney: boolean;
  shopName: string;
  counterId: string;
  logDir: string;
  /** Why the counter cannot take payments: journal, settings or credentials. */
  paymentsStopped: string | null;
  /** Why the saved settings were not used. */
  settingsProblem: string | null;
  secretsKeptIn: string;
}

/** Mirrors `app::CommandError`: every command fails with this shape. */
export interface CommandError {
  code: string;
  message: string;
}

export type PaymentStateName =
  | "new"
  | "creating"
  | "awaiting_customer"
  | "executing"
  | "completed"
  | "failed"
  | "unknown"
  | "cancelled"
  | "not_charged";

/** Mirrors `payment::PaymentView`. */
export interface PaymentView {
  id: number;
  orderId: string;
  invoice: string;
  state: PaymentStateName;
  amountPoisha: number;
  paymentID: string | null;
  trxID: string | null;
  maskedWallet: string | null;
  reason: string | null;
  /** `reason` as a code the UI words itself: a bKash code, a cause (bkash_unreachable, answer_mismatch, token_budget …), or checking / not_charged / cancelled / refused. */
  reasonCode: string | null;
  counterId: string | null;
  createdAt: string;
  settledAt: string | null;
}

/** Mirrors `reconcile::RecoveryEntry`. */
export interface RecoveryEntry {
  id: number;
  orderId: string;
  amountPoisha: number;
  state: PaymentStateName;
  trxID: string | null;
}

/** Mirrors `bkash::TokenStatus`: bKash's sign-in, and whether payments must wait. */
export interface TokenStatus {
  callsInLastHour: number;
  budgetPerHour: number;
  /** RFC 3339, UTC: payments that need a new bKash token cannot start before this. */
  pausedUntil: string | null;
  pausedBecause: "token_budget" | "token_cooling_down" | null;
  /** bKash's gateway refused the token it had just issued: credentials or environment. */
  tokenRejected: boolean;
}

/** Mirrors `reconcile::RecoverySnapshot`. */
export interface RecoverySnapshot {
  checking: RecoveryEntry[];
  resolved: RecoveryEntry[];
}

/** Mirrors `settings::Settings`. */
export interface Settings {
  shopName: string;
  counterId: string;
  environment: AppInfo["environment"];
  baseUrl: string | null;
  scriptUrl: string | null;
  timeoutSecs: number;
  connectTimeoutSecs: number;
}

/** Mirrors `settings::CredentialsForm`: an empty field keeps the stored value. */
export interface CredentialsForm {
  username: string;
  password: string;
  appKey: string;
  appSecret: string;
}

/** Mirrors `settings::CredentialsSummary`: never a secret. */
export interface CredentialsSummary {
  stored: boolean;
  username: string;
  appKey: string;
}

/** Mirrors `app::SettingsView`. */
export interface SettingsView {
  settings: Settings;
  credentials: CredentialsSummary;
  secretsKeptIn: string;
}

/** Mirrors `settings::FieldError`. */
export interface FieldError {
  field: string;
  message: string;
}

/** Mirrors `app::SaveOutcome`. */
export interface SaveOutcome {
  saved: boolean;
  problems: FieldError[];
  restartNeeded: boolean;
}

/** Mirrors `app::CheckoutContext`. */
export interface CheckoutContext {
  scriptUrl: string;
  amount: string;
  invoice: string;
  shopName: string;
  /** The page's own CSP: the configured bKash origins only. */
  csp: string;
}

/** Mirrors `app::CheckoutCreated`: what `bKash.create().onSuccess` takes. */
export interface CheckoutCreated {
  paymentID: string;
  createTime: string;
  orgName: string | null;
  transactionStatus: string;
  amount: string;
  currency: string;
  intent: string;
  merchantInvoiceNumber: string;
}

/** Mirrors `manager_pin::ManagerStatus`. */
export interface ManagerStatus {
  pinSet: boolean;
  unlocked: boolean;
}

/** Mirrors `report::Tally`. */
export interface Tally {
  count: number;
  amountPoisha: number;
}

/** Mirrors `report::DaySummary`. */
export interface DaySummary {
  day: string;
  completed: Tally;
  failed: Tally;
  cancelled: Tally;
  checking: Tally;
  inProgress: Tally;
  refunded: Tally;
  netPoisha: number;
}

/** Mirrors `report::DayPage`. */
export interface DayPage {
  summary: DaySummary;
  rows: PaymentView[];
  total: number;
  page: number;
  pageSize: number;
  /** Completed poisha per Bangladesh hour, 0–23. */
  hourlyPoisha: number[];
}

/** Mirrors `app::DayQuery`. */
export interface DayQuery {
  date: string;
  state: PaymentStateName | null;
  search: string | null;
  page: number;
}

/** Mirrors `report::EventView`. */
export interface EventView {
  at: string;
  kind: string;
  fromState: string | null;
  toState: string | null;
  bkashCode: string | null;
  bkashMessage: string | null;
  detail: string | null;
}

/** Mirrors `report::RefundView`. */
export interface RefundView {
  id: number;
  amountPoisha: number;
  sku: string;
  reason: string;
  state: "requested" | "completed" | "failed" | "unknown";
  refundTrxID: string | null;
  bkashCode: string | null;
}

/** Mirrors `report::History`. */
export interface History {
  payment: PaymentView;
  events: EventView[];
  refunds: RefundView[];
  refundablePoisha: number;
}

/** Mirrors `app::RefundRequest`. */
export interface RefundRequest {
  id: number;
  amountPoisha: number;
  sku: string;
  reason: string;
}

/** Mirrors `app::ResolveRequest`. */
export interface ResolveRequest {
  id: number;
  trxID: string;
  reason: string;
}

/** Mirrors `app::ResolveOutcome`. */
export interface ResolveOutcome {
  verified: boolean;
  payment: PaymentView;
}

/** Mirrors `report::ReportRow`: one transaction as reports show it. */
export interface ReportRow {
  time: string;
  invoice: string;
  orderId: string;
  state: PaymentStateName;
  amount: string;
  paymentID: string | null;
  trxID: string | null;
  wallet: string | null;
  counter: string | null;
  cashier: string | null;
}

/** Mirrors `report::GroupTotal`. */
export interface GroupTotal {
  name: string;
  completed: Tally;
}

/** Mirrors `report::Correction`. */
export interface Correction {
  closedIn: number;
  payment: ReportRow;
}

/** Mirrors `report::EndOfDay`. */
export interface EndOfDay {
  number: number;
  day: string;
  closedAt: string;
  shopName: string;
  summary: DaySummary;
  byCounter: GroupTotal[];
  byCashier: GroupTotal[];
  carriedOver: ReportRow[];
  corrections: Correction[];
}

/** Mirrors `app::EodView`. */
export interface EodView {
  closed: boolean;
  report: EndOfDay;
}

export function isCommandError(value: unknown): value is CommandError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Record<string, unknown>).code === "string" &&
    typeof (value as Record<string, unknown>).message === "string"
  );
}

/** A person-readable sentence for anything a command threw. */
export function errorText(error: unknown): string {
  return isCommandError(error) ? error.message : String(error);
}

// Main window.
export const appInfo = () => invoke<AppInfo>("app_info");
export const pay = (orderId: string, amountPoisha: number) => invoke<PaymentView>("pay", { orderId, amountPoisha });
export const cancelPayment = () => invoke<PaymentView | null>("cancel_payment");
export const payment = (id: number) => invoke<PaymentView>("payment", { id });
export const recoveryStatus = () => invoke<RecoverySnapshot>("recovery_status");
export const bkashStatus = () => invoke<TokenStatus>("bkash_status");
/** Why payments are stopped, if the integrity check beside the counter found the journal damaged. */
export const journalDamage = () => invoke<string | null>("journal_damage");
/** The cashier screen's first render is on screen, item field ready (the launch mark). */
export const cashierReady = () => invoke<void>("cashier_ready");
export const getSettings = () => invoke<SettingsView>("get_settings");
export const saveSettings = (settings: Settings, credentials: CredentialsForm) =>
  invoke<SaveOutcome>("save_settings", { settings, credentials });
export const restartApp = () => invoke<void>("restart_app");

// Manager's screens (all but the PIN gate need the PIN first).
export const managerStatus = () => invoke<ManagerStatus>("manager_status");
export const managerSetPin = (pin: string) => invoke<ManagerStatus>("manager_set_pin", { pin });
export const managerUnlock = (pin: string) => invoke<ManagerStatus>("manager_unlock", { pin });
export const managerLock = () => invoke<ManagerStatus>("manager_lock");
export const managerChangePin = (current: string, next: string) => invoke<ManagerStatus>("manager_change_pin", { current, new: next });
export const dayView = (query: DayQuery) => invoke<DayPage>("day_view", { query });
export const paymentHistory = (id: number) => invoke<History>("payment_history", { id });
export const refundPayment = (request: RefundRequest) => invoke<RefundView>("refund_payment", { request });
export const checkPayment = (id: number) => invoke<PaymentView>("check_payment", { id });
export const checkRefund = (payment: number, refund: number) => invoke<RefundView>("check_refund", { payment, refund });
export const endOfDay = (date: string) => invoke<EodView>("end_of_day", { date });
export const closeDay = (date: string) => invoke<EodView>("close_day", { date });
export const exportDay = (date: string, format: "csv" | "pdf") => invoke<string>("export_day", { date, format });
export const resolvePayment = (request: ResolveRequest) => invoke<ResolveOutcome>("resolve_payment", { request });

export const onPayment = (handler: (view: PaymentView) => void): Promise<UnlistenFn> =>
  listen<PaymentView>("payment", (event) => handler(event.payload));
export const onRecovery = (handler: (snapshot: RecoverySnapshot) => void): Promise<UnlistenFn> =>
  listen<RecoverySnapshot>("recovery", (event) => handler(event.payload));
/** The integrity check that runs beside the counter found the journal damaged: the reason. */
export const onJournalDamaged = (handler: (reason: string) => void): Promise<UnlistenFn> =>
  listen<string>("journal-damaged", (event) => handler(event.payload));

// Checkout window: the four steps of the desk's open payment, nothing else.
export const checkoutContext = () => invoke<CheckoutContext>("checkout_context");
export const checkoutCreate = () => invoke<CheckoutCreated>("checkout_create");
export const checkoutExecute = () => invoke<PaymentView>("checkout_execute");
export type CancelReason = "customer_closed" | "script_unavailable";
export const checkoutCancel = (reason: CancelReason) => invoke<PaymentView | null>("checkout_cancel", { reason });
