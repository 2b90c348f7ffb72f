// The UI's whole IPC surface: every `invoke` and `listen` lives in this file,
// so what the webview may ask of the core is visible in one place.
//
// The types are generated from the Rust ones (`./generated/types.ts`, see
// `src-tauri/app/typescript.rs`); this file keeps only the calls.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type {
  AppInfo,
  CancelReason,
  CatalogueItem,
  FirstRunForm,
  ImportReport,
  SaleLine,
  SaleToPay,
  SaleView,
  CheckoutContext,
  CheckoutCreated,
  CredentialsForm,
  DayPage,
  DayQuery,
  EodView,
  ExportFormat,
  DayOf,
  History,
  ManagerStatus,
  PaymentView,
  PhonePayment,
  Printed,
  PrinterDraft,
  ReceiptLanguage,
  ReceiptOf,
  CustomerScreen,
  RecoverySnapshot,
  RefundRequest,
  RefundView,
  ResolveOutcome,
  ResolveRequest,
  SaveOutcome,
  Settings,
  SettingsView,
  TokenStatus,
  SyncStatus,
  StoreDayPage,
  StoreHistory,
  StoreRefundRequest,
  StoreResolveRequest,
  ActionReport,
  StoreEndOfDay,
  StaffRef,
  StaffStatus,
  ShiftView,
  Account,
  AccountChange,
  CashCount,
  CashMovement,
  CounterDay,
  NewAccount,
  ShiftReport,
} from "./generated/types";

export type * from "./generated/types";

// Main window.
export const appInfo = () => invoke<AppInfo>("app_info");
/** The sale is journaled with its `lines` before the payment; the core sums them.
 * `anyway`: the cashier saw a payment of this amount still being checked and confirmed a new one. */
export const pay = (orderId: string, lines: SaleLine[], anyway = false) =>
  invoke<PaymentView>("pay", { sale: { orderId, lines, anyway } satisfies SaleToPay });
/** Tokenized: the customer pays on their own phone through a QR code of bKash's page. */
export const payOnPhone = (orderId: string, lines: SaleLine[], anyway = false) =>
  invoke<PhonePayment>("pay_on_phone", { sale: { orderId, lines, anyway } satisfies SaleToPay });
/** The till: cash, the sale the counter was on when the app stopped, the catalogue. */
/** `anyway`: as for bKash, the cashier saw a payment of this amount still being checked and confirmed. */
export const payCash = (orderId: string, lines: SaleLine[], tenderedPoisha: number, anyway = false) =>
  invoke<SaleView>("pay_cash", { sale: { orderId, lines, anyway } satisfies SaleToPay, tenderedPoisha });
export const finishSale = (orderId: string) => invoke<void>("finish_sale", { orderId });
export const unfinishedSale = () => invoke<SaleView | null>("unfinished_sale");
export const saleOf = (orderId: string) => invoke<SaleView | null>("sale_of", { orderId });
export const catalogue = () => invoke<CatalogueItem[]>("catalogue");
export const importCatalogue = (text: string) => invoke<ImportReport>("import_catalogue", { text });
export const saveProduct = (item: CatalogueItem) => invoke<void>("save_product", { item });
/** The QR code is drawn: a log line for support, and the Pay → QR benchmark's mark. */
export const phoneQrShown = (payment: number) => invoke<void>("phone_qr_shown", { payment });
export const cancelPayment = () => invoke<PaymentView | null>("cancel_payment");
export const payment = (id: number) => invoke<PaymentView>("payment", { id });
export const recoveryStatus = () => invoke<RecoverySnapshot>("recovery_status");
export const bkashStatus = () => invoke<TokenStatus>("bkash_status");
/** This counter's journal in the store's database: what is not sent yet (null: no store). */
export const storeSyncStatus = () => invoke<SyncStatus | null>("store_sync_status");
/** The store's day, any counter's payment, a refund of it, the store's numbered report. */
export const storeDay = (query: DayQuery) => invoke<StoreDayPage>("store_day", { query });
export const storePaymentHistory = (counter: string, id: number) => invoke<StoreHistory>("store_payment_history", { counter, id });
export const storeRefund = (request: StoreRefundRequest) => invoke<RefundView>("store_refund", { request });
export const exportStoreDay = (date: string, format: ExportFormat) => invoke<string[]>("export_day", { date, format, of: "store" satisfies DayOf });
export const storeCheckPayment = (counter: string, id: number) => invoke<ActionReport>("store_check_payment", { counter, id });
export const storeResolvePayment = (request: StoreResolveRequest) => invoke<ActionReport>("store_resolve_payment", { request });
export const closeStoreDay = (date: string) => invoke<StoreEndOfDay>("close_store_day", { date });
/** Why payments are stopped, if the integrity check beside the counter found the journal damaged. */
export const journalDamage = () => invoke<string | null>("journal_damage");
export const journalLocked = () => invoke<string | null>("journal_locked");
/** The cashier screen's first render is on screen, item field ready (the launch mark). */
export const cashierReady = () => invoke<void>("cashier_ready");
export const getSettings = () => invoke<SettingsView>("get_settings");
/** `storePassword`: the store database's password, only when typed (empty keeps the stored one). */
export const saveSettings = (settings: Settings, credentials: CredentialsForm, storePassword: string | null = null) =>
  invoke<SaveOutcome>("save_settings", { settings, credentials, storePassword });
export const restartApp = () => invoke<void>("restart_app");
/** A new PC's first start: set up (then restart), skip (stay in Training), or test bKash's credentials (one token call). */
export const firstRunSetup = (form: FirstRunForm) => invoke<SaveOutcome>("first_run_setup", { form });
export const skipFirstRun = () => invoke<void>("skip_first_run");
export const testConnection = (form: FirstRunForm) => invoke<void>("test_connection", { form });

// Who is at the counter: sign-in by PIN, the idle lock, the shift.
export const staffStatus = () => invoke<StaffStatus>("staff_status");
export const signIn = (pin: string) => invoke<StaffRef>("sign_in", { pin });
export const signOut = () => invoke<void>("sign_out");
export const staffTouch = () => invoke<void>("staff_touch");
export const currentShift = () => invoke<ShiftView | null>("current_shift");
/** `approval`: a supervisor's or manager's PIN for this one action, after `role_needed`. */
export const openShift = (float: CashCount, approval: string | null = null) => invoke<ShiftView>("open_shift", { float, approval });
export const moveCash = (movement: CashMovement) => invoke<void>("move_cash", { movement });
export const xReport = (approval: string | null = null) => invoke<ShiftReport>("x_report", { approval });
/** The blind count closes the shift: the Z report, as stored. */
export const closeShift = (count: CashCount, approval: string | null = null) => invoke<ShiftReport>("close_shift", { count, approval });
export const printShiftReport = (report: ShiftReport, language: ReceiptLanguage) => invoke<void>("print_shift_report", { report, language });
/** The day a sale rung up now belongs to (the next one once today is closed). */
export const counterDay = () => invoke<CounterDay>("counter_day");
/** A completed bKash payment of this counter, by its exact trxID or invoice. */
export const findPaidPayment = (reference: string) => invoke<History>("find_paid_payment", { reference });
export const staffAccounts = () => invoke<Account[]>("staff_accounts");
export const addStaffAccount = (account: NewAccount) => invoke<Account>("add_staff_account", { account });
export const changeStaffAccount = (id: number, change: AccountChange) => invoke<Account>("change_staff_account", { id, change });

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
/** The files written: a CSV export is the transactions and then the sale lines. */
export const exportDay = (date: string, format: ExportFormat) => invoke<string[]>("export_day", { date, format, of: "counter" satisfies DayOf });
/** Receipts on the shop's printer: a paid sale's (or a reprint), a test page, the CUPS printers. */
export const printReceipt = (receipt: ReceiptOf, language: ReceiptLanguage) => invoke<Printed>("print_receipt", { receipt, language });
export const testPrint = (draft: PrinterDraft, language: ReceiptLanguage) =>
  invoke<Printed>("print_receipt", { receipt: { kind: "sample", draft } satisfies ReceiptOf, language });
export const cupsPrinters = () => invoke<string[]>("cups_printers");
export const resolvePayment = (request: ResolveRequest) => invoke<ResolveOutcome>("resolve_payment", { request });

export const onPayment = (handler: (view: PaymentView) => void): Promise<UnlistenFn> =>
  listen<PaymentView>("payment", (event) => handler(event.payload));
export const onRecovery = (handler: (snapshot: RecoverySnapshot) => void): Promise<UnlistenFn> =>
  listen<RecoverySnapshot>("recovery", (event) => handler(event.payload));
/** The manager imported the catalogue or changed a product: the counter reads it again. */
export const onCatalogueChanged = (handler: () => void): Promise<UnlistenFn> => listen<null>("catalogue-changed", () => handler());
/** The integrity check that runs beside the counter found the journal damaged: the reason. */
export const onJournalDamaged = (handler: (reason: string) => void): Promise<UnlistenFn> =>
  listen<string>("journal-damaged", (event) => handler(event.payload));
/** Another program holds the journal's lock (which one), or `null` once it let go. */
export const onJournalLocked = (handler: (holder: string | null) => void): Promise<UnlistenFn> =>
  listen<string | null>("journal-locked", (event) => handler(event.payload));

// Customer display: what it shows now, and the next screen.
export const customerDisplay = () => invoke<CustomerScreen>("customer_display");
export const onCustomerScreen = (handler: (screen: CustomerScreen) => void): Promise<UnlistenFn> =>
  listen<CustomerScreen>("customer-screen", (event) => handler(event.payload));

// Checkout window: the four steps of the desk's open payment, nothing else.
export const checkoutContext = () => invoke<CheckoutContext>("checkout_context");
export const checkoutCreate = () => invoke<CheckoutCreated>("checkout_create");
export const checkoutExecute = () => invoke<PaymentView>("checkout_execute");
export const checkoutCancel = (reason: CancelReason) => invoke<PaymentView | null>("checkout_cancel", { reason });
