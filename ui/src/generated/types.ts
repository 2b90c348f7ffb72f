// Generated from the Rust types by `src-tauri/app/typescript.rs` (ts-rs). Do not edit:
// run `UPDATE_TS_TYPES=1 cargo test --test it generated` after changing a Rust type.

/**
 * Where a payment stands. Each state names the fact that put it there.
 * Stored, sent to the UI and received from it as its snake_case name.
 */
export type PaymentState = "new" | "creating" | "awaiting_customer" | "executing" | "completed" | "failed" | "unknown" | "cancelled" | "not_charged";

export type RefundState = "requested" | "completed" | "failed" | "unknown";

/**
 * Why a call ended without bKash's own word, as a stable code the journal
 * keeps and the UI words in the user's language. (A bKash code, when there
 * is one, says more and is kept beside it.)
 */
export type Cause = "bkash_unreachable" | "no_answer" | "answer_mismatch" | "gateway_refused" | "token_rejected" | "token_budget" | "token_cooling_down" | "invalid_request" | "phone_timed_out";

export type Product = "checkout" | "tokenized";

export type PayAt = "counter" | "phone";

/**
 * Why a payment failed, ended or waits, as the UI words it (`reason.<code>`
 * or `reason.<kind>` in the catalogs).
 */
export type Reason = { "kind": "bkash", "code": string } | { "kind": "cause", "code": Cause } | { "kind": "checking" } | { "kind": "not_charged" } | { "kind": "cancelled" } | { "kind": "refused" };

/**
 * Which bKash the app talks to. Only `Training` is safe to play with: it is
 * backed by the embedded simulator and moves no real money.
 */
export type Environment = "training" | "sandbox" | "production";

/**
 * Every reason a command can fail, as the UI branches on it.
 */
export type ErrorCode = "payments_stopped" | "not_allowed" | "checkout_busy" | "no_checkout" | "checkout_window" | "interrupted" | "invalid_order" | "invalid_amount" | "invalid_format" | "invalid" | "order_already_paid" | "refund_too_large" | "wrong_state" | "not_found" | "create_failed" | "journal" | "export" | "vault" | "settings_file" | "environment_busy" | "pin_format" | "pin_already_set" | "pin_not_set" | "pin_wrong" | "pin_locked" | "manager_locked" | "phone_needs_tokenized" | "no_printer" | "print_failed" | "same_amount_checking" | "sale_already_paid" | "sale_being_paid" | "catalogue_file" | "setup_done" | "connection_failed" | "store_unreachable" | "store_refused" | "no_store" | "store_not_found" | "store_failed" | "not_signed_in" | "role_needed" | "pin_in_use" | "no_shift_open" | "shift_already_open" | "shift_still_open" | "day_to_come";

/**
 * What every command returns on failure. Never carries a secret: the
 * details are IDs, amounts, field names and the core's own sentences.
 */
export type CommandError = { code: ErrorCode, 
/**
 * English, for the log.
 */
message: string, 
/**
 * The values of the catalog text's placeholders.
 */
details: { [key in string]: string }, };

/**
 * The bounds the UI checks as the cashier types: written into the generated
 * TypeScript (`SALE_RULES`), so the screen and this module cannot drift apart.
 */
export type SaleRules = { minSalePoisha: number, maxSalePoisha: number, maxOrderIdChars: number, maxItemNameChars: number, maxQuantity: number, maxLines: number, };

/**
 * What the UI needs to know about this running app.
 */
export type AppInfo = { version: string, environment: Environment, movesRealMoney: boolean, shopName: string, counterId: string, logDir: string, 
/**
 * Why the counter cannot take payments (journal, settings, credentials).
 */
paymentsStopped: string | null, 
/**
 * The same, as the UI words it in the shop's language, when the counter
 * could not be opened at start.
 */
stoppedBecause: StartProblemView | null, 
/**
 * Why the saved settings were not used.
 */
settingsProblem: string | null, 
/**
 * Where credentials and tokens are kept, in words.
 */
secretsKeptIn: string, 
/**
 * The bKash product new payments use; only Tokenized offers the phone.
 */
product: Product, 
/**
 * Where *Pay* (F9) lets the customer pay; F8 is the other place.
 */
payAt: PayAt, 
/**
 * Training: the address phones on the shop's Wi-Fi reach the practice
 * payment page at, when that is switched on.
 */
trainingPhoneAddress: string | null, 
/**
 * Where receipts print, and whether a paid sale's prints by itself.
 */
printer: PrinterKind, printAutomatically: boolean, 
/**
 * The first start on this PC: the setup is shown (until done or skipped).
 */
firstRun: boolean, 
/**
 * The store this counter belongs to (a shared PostgreSQL), if any.
 */
storeId: string | null, 
/**
 * Another program holds the journal's lock (`sqlite3, process 4242`):
 * no sale or payment starts until it lets go, then the counter comes
 * back by itself (the `journal-locked` event says both).
 */
journalLocked: string | null, };

export type PaymentView = { id: number, orderId: string, invoice: string, state: PaymentState, amountPoisha: number, paymentID: string | null, trxID: string | null, maskedWallet: string | null, 
/**
 * Why it failed, ended or waits; `None` while it simply proceeds.
 */
reason: Reason | null, 
/**
 * bKash's own words for its code, for a code the catalogs do not know.
 */
bkashMessage: string | null, counterId: string | null, 
/**
 * At the counter, or on the customer's phone (QR).
 */
payAt: PayAt, 
/**
 * How many times bKash was asked whether the customer had finished on
 * their phone.
 */
statusPolls: number, 
/**
 * RFC 3339, UTC, on the wire.
 */
createdAt: string, settledAt: string | null, };

/**
 * A QR code as the screens draw it: a `size` × `size` grid (quiet zone
 * included), its dark modules as an SVG path in grid units.
 */
export type QrImage = { size: number, 
/**
 * `M x y h n v 1 h -n z` for each run of dark modules in a row.
 */
path: string, };

/**
 * What the counter shows while the customer pays on their phone.
 */
export type PhonePayment = { payment: PaymentView, 
/**
 * bKash's page, exactly as Create gave it: what the QR code holds.
 */
url: string, qr: QrImage, amount: string, 
/**
 * The QR code's time-out, after which the payment is cancelled.
 */
timeoutSecs: number, };

/**
 * A sale the cashier asks to pay, by bKash or in cash: its lines are
 * journaled before any payment, and the core sums them.
 */
export type SaleToPay = { orderId: string, lines: Array<SaleLine>, 
/**
 * The cashier saw a payment of this amount still being checked and
 * confirmed a new one. Absent means not asked yet.
 */
anyway: boolean, };

/**
 * What the customer sees. Only what is on the counter's own screen too:
 * no wallet number, no payment ID.
 */
export type CustomerScreen = { "kind": "welcome", shopName: string, } | { "kind": "scan", qr: QrImage, amount: string, invoice: string, } | { "kind": "paid", amount: string, trxID: string | null, } | { "kind": "not_paid" } | { "kind": "checking" };

/**
 * Which printer the shop's receipts go to.
 */
export type PrinterKind = "none" | "cups" | "escpos";

/**
 * The thermal paper's width: 58 mm rolls print 384 dots a line, 80 mm
 * rolls 576 (203 dpi print heads, the common ones in Bangladesh).
 */
export type PaperWidth = "58mm" | "80mm";

export type ReceiptLanguage = "en" | "bn";

/**
 * The printer fields of the settings screen, before they are saved: the
 * test print tries what the manager is setting up, not what is running.
 */
export type PrinterDraft = { printer: PrinterKind, cupsPrinter: string | null, escposAddress: string | null, paper: PaperWidth, openDrawer: boolean, };

/**
 * Where a receipt printed.
 */
export type Printed = { printer: string, };

/**
 * Which receipt a print is of.
 */
export type ReceiptOf = { "kind": "payment", payment: number, } | { "kind": "cash", orderId: string, first: boolean, } | { "kind": "sample", draft: PrinterDraft, };

export type RecoveryEntry = { id: number, orderId: string, 
/**
 * What the receipt and bKash's window showed: how the cashier knows the sale.
 */
invoice: string, amountPoisha: number, state: PaymentState, trxID: string | null, };

/**
 * `checking`: still being asked about. `resolved`: settled during this run,
 * newest first, at most [`RecoveryBoard::KEEP_RESOLVED`].
 */
export type RecoverySnapshot = { checking: Array<RecoveryEntry>, resolved: Array<RecoveryEntry>, };

/**
 * What the counter and the manager are told about bKash's tokens.
 */
export type TokenStatus = { callsInLastHour: number, budgetPerHour: number, 
/**
 * Payments that need a new token cannot start before this (RFC 3339, UTC).
 */
pausedUntil: string | null, 
/**
 * Why: `TokenBudget` or `TokenCoolingDown`.
 */
pausedBecause: "token_budget" | "token_cooling_down" | null, 
/**
 * The gateway refused the token bKash had just issued.
 */
tokenRejected: boolean, };

/**
 * How the connection is protected.
 */
export type TlsMode = "off" | "verified";

/**
 * Where the store's PostgreSQL is. The counter id is `Settings::counter_id`
 * and the merchant is the bKash username, so neither is asked twice.
 */
export type StoreSettings = { host: string, port: number, database: string, user: string, tls: TlsMode, 
/**
 * A PEM file with the CA of a store server with its own certificate.
 */
caFile: string | null, storeId: string, };

/**
 * The settings a manager edits. Field names are the store file's and the UI's.
 */
export type Settings = { 
/**
 * Printed on receipts.
 */
shopName: string, 
/**
 * This till, in every invoice number and report: 1–10 letters or digits.
 */
counterId: string, environment: Environment, 
/**
 * The bKash product this shop was given: it decides the host, the
 * credentials and how the customer pays (bKash's frame or bKash's page).
 */
product: Product, 
/**
 * Tokenized only: the https URL on the shop's domain registered with
 * bKash, where bKash's page returns (never loaded by the app).
 */
callbackUrl: string | null, 
/**
 * Where *Pay* (F9) lets the customer pay; the other place is F8. The
 * customer's phone needs Tokenized.
 */
payAt: PayAt, 
/**
 * How long the QR code waits for the customer to finish on their phone.
 */
phoneTimeoutSecs: number, 
/**
 * Shows the QR code and the total in a window of their own, on the
 * second screen when there is one (a customer display).
 */
customerDisplay: boolean, 
/**
 * Training only: the simulator's payment page is also served on this
 * PC's network address, behind a random per-session token, so cashiers
 * can practise with a real phone on the shop's Wi-Fi.
 */
trainingPhoneAccess: boolean, 
/**
 * Where receipts print: the dialog, a CUPS printer, or an ESC/POS one.
 */
printer: PrinterKind, 
/**
 * The CUPS printer's name (`lpstat -e`).
 */
cupsPrinter: string | null, 
/**
 * The ESC/POS printer: `host:port` (network) or `/dev/usb/lpN` (USB).
 */
escposAddress: string | null, paper: PaperWidth, 
/**
 * Print the receipt by itself once a sale is paid (else on request).
 */
printAutomatically: boolean, 
/**
 * A cash drawer hangs on the ESC/POS printer: open it for cash sales
 * (and the test print).
 */
openDrawer: boolean, 
/**
 * Start the app when the shop's user logs in (XDG autostart).
 */
startOnLogin: boolean, 
/**
 * The counter locks after this many minutes without a key or a click,
 * and the next person signs in with their PIN (a sale in progress stays).
 */
lockAfterIdleMinutes: number, 
/**
 * Overrides the environment's API base (ends in `/v1.2.0-beta`).
 */
baseUrl: string | null, 
/**
 * Overrides the environment's checkout.js URL.
 */
scriptUrl: string | null, 
/**
 * Per bKash call; bKash asks for 30 s.
 */
timeoutSecs: number, connectTimeoutSecs: number, 
/**
 * The store's shared PostgreSQL (several counters, one manager's day).
 * None: this counter works alone on its own journal. The database
 * password is in the vault (`STORE_PASSWORD_KEY`), never here.
 */
store: StoreSettings | null, };

/**
 * What the settings screen sends for credentials. An empty field means
 * "keep what is stored", so the screen never needs to show a secret.
 */
export type CredentialsForm = { username: string, password: string, appKey: string, appSecret: string, };

/**
 * What the settings screen may see of stored credentials: never a secret.
 */
export type CredentialsSummary = { stored: boolean, username: string, appKey: string, };

/**
 * One field that cannot be used, and why, in words for the cashier.
 */
export type FieldError = { field: string, message: string, };

export type SettingsView = { settings: Settings, 
/**
 * The stored credentials of the saved environment, without secrets.
 */
credentials: CredentialsSummary, secretsKeptIn: string, };

/**
 * `saved` is false when `problems` names fields to fix; nothing was stored.
 */
export type SaveOutcome = { saved: boolean, problems: Array<FieldError>, restartNeeded: boolean, };

/**
 * What the first-run screen asks; every other setting keeps its default.
 */
export type FirstRunForm = { shopName: string, counterId: string, pin: string, environment: Environment, product: Product, credentials: CredentialsForm, printer: PrinterKind, cupsPrinter: string | null, escposAddress: string | null, };

/**
 * What the checkout page needs before it loads bKash's script.
 */
export type CheckoutContext = { scriptUrl: string, 
/**
 * bKash's amount string, e.g. "1250.50".
 */
amount: string, invoice: string, shopName: string, 
/**
 * The page's own CSP, narrowing the app-wide one to the configured
 * bKash origins; set as a `<meta>` before bKash's script loads.
 */
csp: string, };

/**
 * bKash's create answer, as `bKash.create().onSuccess(…)` expects it.
 */
export type CheckoutCreated = { paymentID: string, createTime: string, orgName: string | null, 
/**
 * bKash's word, as bKash spells it ("Initiated").
 */
transactionStatus: string, amount: string, currency: string, intent: string, merchantInvoiceNumber: string, };

/**
 * Why the checkout page gave up. A fixed list: the webview never writes
 * free text into the journal.
 */
export type CancelReason = "customer_closed" | "script_unavailable";

/**
 * The manager's gate, as the screens have always read it: whether the
 * shop has a manager yet, and whether the manager's screens are open.
 */
export type ManagerStatus = { pinSet: boolean, unlocked: boolean, };

/**
 * Count and amount (poisha) of one group of payments.
 */
export type Tally = { count: number, amountPoisha: number, };

/**
 * A day at the counter, by what happened to the money.
 */
export type DaySummary = { 
/**
 * `YYYY-MM-DD` on the wire.
 */
day: string, 
/**
 * Money taken.
 */
completed: Tally, 
/**
 * bKash refused: nothing taken.
 */
failed: Tally, 
/**
 * Stopped before execute, or proven not charged: nothing taken.
 */
cancelled: Tally, 
/**
 * Outcome not known yet: "checking with bKash".
 */
checking: Tally, 
/**
 * Still at the counter (customer in bKash's window, create in flight).
 */
inProgress: Tally, 
/**
 * Completed refunds of the day's payments.
 */
refunded: Tally, 
/**
 * Sales paid in cash (absent on days without any, as before the till).
 */
cash?: Tally, 
/**
 * Taken (bKash and cash) minus refunded.
 */
netPoisha: number, };

export type DayPage = { summary: DaySummary, rows: Array<PaymentView>, 
/**
 * Rows matching the filter, over all pages.
 */
total: number, page: number, pageSize: number, 
/**
 * Completed payments per Bangladesh hour (0–23), in poisha, for the chart.
 */
hourlyPoisha: Array<number>, 
/**
 * Cash, drawers and items sold, when the till was used that day.
 */
till: TillDay | null, };

/**
 * What the day list asks for: a Bangladesh day (`YYYY-MM-DD` on the wire).
 */
export type DayQuery = { date: string, state: PaymentState | null, search: string | null, page: number, };

/**
 * Which part of the counter could not be opened: the UI words it as
 * `start.<kind>` in the shop's language, with the cause as `{detail}`.
 */
export type StartProblemKind = "credentials" | "settings" | "journal" | "journal_identity" | "store_password" | "client" | "store_sync";

/**
 * A [`StartProblem`] as the UI reads it.
 */
export type StartProblemView = { problem: StartProblemKind, 
/**
 * The cause, as the part that failed said it.
 */
detail: string, };

export type EventKind = "started" | "transition" | "refund_requested" | "refund_checked" | "refund" | "customer_verified" | "customer_finished_late" | "query_unanswered" | "resolution_unverified" | "receipt_printed" | "receipt_not_printed";

/**
 * A state a history line moved from or to: the payment's, or (for a
 * refund's line) the refund's.
 */
export type EventState = PaymentState | RefundState;

export type EventView = { 
/**
 * RFC 3339, UTC, on the wire; the screen shows it in Bangladesh time.
 */
at: string, kind: EventKind, fromState: EventState | null, toState: EventState | null, bkashCode: string | null, bkashMessage: string | null, detail: string | null, };

export type RefundView = { id: number, amountPoisha: number, sku: string, reason: string, state: RefundState, refundTrxID: string | null, bkashCode: string | null, };

/**
 * One payment, every journal event and bKash answer, and its refunds.
 */
export type History = { payment: PaymentView, events: Array<EventView>, refunds: Array<RefundView>, refundablePoisha: number, };

export type RefundRequest = { id: number, amountPoisha: number, sku: string, reason: string, 
/**
 * A supervisor's or manager's PIN, typed for this refund when the
 * person at the counter may not refund.
 */
approval?: string, };

export type ResolveRequest = { id: number, trxID: string, reason: string, };

/**
 * `verified`: bKash confirmed the trxID and the payment is completed;
 * otherwise the claim is logged and the payment is still being checked.
 */
export type ResolveOutcome = { verified: boolean, payment: PaymentView, };

/**
 * One transaction as reports show it: Bangladesh time, taka as bKash writes
 * it, the wallet masked.
 */
export type ReportRow = { 
/**
 * `YYYY-MM-DD HH:MM:SS`, Bangladesh time.
 */
time: string, invoice: string, orderId: string, state: PaymentState, 
/**
 * `1250.50`: taka, two decimals, no grouping (what spreadsheets sum).
 */
amount: string, paymentID: string | null, trxID: string | null, wallet: string | null, counter: string | null, cashier: string | null, };

export type GroupTotal = { 
/**
 * The counter or cashier; empty when the payment had none recorded.
 */
name: string, completed: Tally, };

/**
 * A payment of an earlier, closed day that changed after that day closed.
 */
export type Correction = { 
/**
 * The report that closed the payment's day.
 */
closedIn: number, payment: ReportRow, };

export type EndOfDay = { number: number, day: string, 
/**
 * Bangladesh time, as printed. Text, not a date: a closed report is
 * stored as it was printed, and every report closed so far holds it so.
 */
closedAt: string, shopName: string, summary: DaySummary, byCounter: Array<GroupTotal>, byCashier: Array<GroupTotal>, 
/**
 * Payments of this day or before whose outcome bKash has not given yet.
 */
carriedOver: Array<ReportRow>, corrections: Array<Correction>, 
/**
 * Cash taken for sales of a closed day after it closed. Absent from
 * reports closed before shifts, which never listed cash corrections.
 */
cashCorrections?: Array<CashCorrection>, 
/**
 * Cash, drawers and items sold; absent for days without the till.
 */
till?: TillDay, };

/**
 * A day's end-of-day report: the stored one once the day is closed,
 * otherwise a preview (`closed: false`, number 0).
 */
export type EodView = { closed: boolean, report: EndOfDay, };

/**
 * What `export_day` writes.
 */
export type ExportFormat = "csv" | "pdf";

/**
 * Whose day an export is of.
 */
export type DayOf = "counter" | "store";

/**
 * One line of a sale: a catalogue product or free text, as rung up.
 */
export type SaleLine = { 
/**
 * The catalogue's code, `None` for a free-text line.
 */
code: string | null, name: string, quantity: number, unitPoisha: number, };

/**
 * How a sale was paid.
 */
export type Tender = "bkash" | "cash";

/**
 * Why a person's amount was refused (a price in a CSV file, a field).
 */
export type TypedAmountProblem = "empty" | "not_a_number" | "bad_grouping" | "too_many_decimals" | "inner_space" | "too_large";

export type CashView = { tenderedPoisha: number, changePoisha: number, 
/**
 * RFC 3339, UTC, on the wire.
 */
at: string, };

/**
 * A sale as the counter shows it: its lines, how it was paid, and its
 * newest bKash payment.
 */
export type SaleView = { orderId: string, lines: Array<SaleLine>, totalPoisha: number, tender: Tender | null, cash: CashView | null, payment: PaymentView | null, };

/**
 * A product of the shop's catalogue.
 */
export type CatalogueItem = { code: string, barcode: string | null, nameEn: string, nameBn: string | null, pricePoisha: number, };

/**
 * Why a row was not imported.
 */
export type RowProblem = { "kind": "missing_code" } | { "kind": "bad_code" } | { "kind": "missing_name" } | { "kind": "name_too_long" } | { "kind": "bad_price", problem: TypedAmountProblem, text: string, } | { "kind": "price_out_of_range" } | { "kind": "duplicate_code", code: string, first_line: number, } | { "kind": "duplicate_barcode", barcode: string, first_line: number, } | { "kind": "wrong_columns", found: number, expected: number, } | { "kind": "not_text" };

/**
 * A rejected row: its line in the file (1 is the header) and why.
 */
export type Rejected = { line: number, problem: RowProblem, 
/**
 * The reason in English, for logs and the CLI.
 */
reason: string, };

/**
 * What an import did: how many products were saved, and each rejected row.
 */
export type ImportReport = { saved: number, rejectedCount: number, 
/**
 * The first rejected rows, by line (all of them are in the log).
 */
rejected: Array<Rejected>, };

/**
 * The manager's drawer count for one counter and day.
 */
export type DrawerDraft = { date: string, counterId: string, openingFloatPoisha: number, countedPoisha: number | null, note: string | null, };

/**
 * A counter's cash drawer for the day: what should be in it and what was.
 */
export type DrawerLine = { counter: string, openingFloatPoisha: number, cashSalesPoisha: number, 
/**
 * Float plus cash sales.
 */
expectedPoisha: number, countedPoisha: number | null, 
/**
 * Counted minus expected: negative is cash missing.
 */
differencePoisha: number | null, note: string | null, };

export type ItemLine = { code: string | null, name: string, quantity: number, amountPoisha: number, };

/**
 * A day's cash, drawers and items. `None` for a day with no sale rung up
 * and no drawer counted (every day before the till), so those days' reports
 * read exactly as they always did.
 */
export type TillDay = { 
/**
 * Sales paid in cash.
 */
cash: Tally, cashByCounter: Array<GroupTotal>, cashByCashier: Array<GroupTotal>, 
/**
 * Drawers counted per day, before shifts (kept for those days).
 */
drawers: Array<DrawerLine>, 
/**
 * The day's shifts, and any still open. Absent from reports closed
 * before shifts, which read back exactly as they were printed.
 */
shifts?: Array<ShiftLine>, 
/**
 * Most sold first, by quantity.
 */
topItems: Array<ItemLine>, };

/**
 * What the counter shows about its sync, and what it reports to the store.
 */
export type SyncStatus = { 
/**
 * Journal changes PostgreSQL has not acknowledged.
 */
pending: number, 
/**
 * When the store stopped answering (RFC 3339, UTC); None while it answers.
 */
offlineSince: string | null, 
/**
 * The last time the store acknowledged a batch.
 */
lastSentAt: string | null, 
/**
 * Why the last attempt failed, in words (never a password).
 */
problem: string | null, 
/**
 * The store refused this counter for good (its id is taken, its login
 * refused, its schema too new): a manager must change the settings.
 */
refused: boolean, };

/**
 * One payment of the store: which counter's journal it lives in, and the
 * payment as that counter showed it.
 */
export type StorePayment = { counter: string, cashier: string | null, payment: PaymentView, };

/**
 * Money per counter or per cashier.
 */
export type StoreGroup = { name: string, bkash: Tally, cash: Tally, refunded: Tally, };

/**
 * How far one counter's journal is in the store.
 */
export type CounterSync = { counter: string, 
/**
 * Journal changes the counter had not sent at its last contact.
 */
behind: number, 
/**
 * Its last contact with the store (RFC 3339, UTC), if ever.
 */
lastContact: string | null, 
/**
 * Not heard from for over a minute: its latest changes may be missing.
 */
silent: boolean, };

export type StoreDayPage = { summary: DaySummary, byCounter: Array<StoreGroup>, byCashier: Array<StoreGroup>, 
/**
 * Completed bKash payments per Bangladesh hour (0–23), in poisha.
 */
hourlyPoisha: Array<number>, rows: Array<StorePayment>, total: number, page: number, pageSize: number, counters: Array<CounterSync>, 
/**
 * Every counter's shifts of the day, and any still open.
 */
shifts: Array<StoreShift>, };

/**
 * One counter's shift as the store holds it: an open one with its float;
 * a closed one with its Z report's figures, as printed.
 */
export type StoreShift = { counter: string, shift: number, openedBy: string, openedAt: string, closedAt: string | null, closedBy: string | null, zNumber: number | null, floatPoisha: number, 
/**
 * The Z's cash and bKash sales (None while the shift is open).
 */
cash: Tally | null, bkash: Tally | null, expectedPoisha: number | null, countedPoisha: number | null, differencePoisha: number | null, 
/**
 * Pay-ins, pay-outs, drops and no-sale opens the store has of it.
 */
movements: number, };

/**
 * One payment's whole story, from whichever counter took it.
 */
export type StoreHistory = { counter: string, payment: PaymentView, events: Array<EventView>, refunds: Array<RefundView>, refundablePoisha: number, 
/**
 * Checks and resolutions of it made at other counters.
 */
actions: Array<StoreActionEntry>, };

/**
 * A payment of a closed day as it stood when it went on a later report.
 */
export type StoreCorrection = { counter: string, id: number, invoice: string, amountPoisha: number, state: PaymentState, trxID: string | null, createdAt: string, };

/**
 * The store's end-of-day report as stored (once) in PostgreSQL.
 */
export type StoreEndOfDay = { number: number, day: string, closedAt: string, closedBy: string, summary: DaySummary, byCounter: Array<StoreGroup>, byCashier: Array<StoreGroup>, 
/**
 * Counters whose latest changes had not reached the store when the day
 * was closed; what they send later shows on the next report.
 */
behind: Array<CounterSync>, 
/**
 * Payments of days the store had already closed that arrived or
 * changed since the last store report (a counter that was behind, a
 * payment settled later): each closed report stays as it was printed.
 */
corrections: Array<StoreCorrection>, };

export type StoreRefundRequest = { 
/**
 * The counter whose journal holds the payment.
 */
counter: string, id: number, amountPoisha: number, sku: string, reason: string, };

export type StoreResolveRequest = { counter: string, id: number, trxID: string, reason: string, };

/**
 * What the manager is shown after *Check now* or *Resolve by hand* on a
 * payment of the store.
 */
export type ActionReport = { counter: string, id: number, outcome: ActionOutcome, trxID: string | null, 
/**
 * Another counter's payment: that counter records bKash's answer in
 * its journal once it hears of the action through the store.
 */
elsewhere: boolean, };

/**
 * A check or resolution of a payment made at another counter, and whether
 * the counter that took the payment has carried it out.
 */
export type StoreActionEntry = { actingCounter: string, kind: StoreActionKind, outcome: ActionOutcome, 
/**
 * What bKash said, or why it could not be asked.
 */
detail: string | null, at: string, 
/**
 * The payment's state at its own counter once it had asked bKash
 * itself; None until then.
 */
carriedOut: PaymentState | null, };

export type StoreActionKind = "check" | "resolve";

export type ActionOutcome = "asking" | "completed" | "not_charged" | "no_verdict" | "refused";

export type Role = "cashier" | "supervisor" | "manager";

/**
 * What a role may or may not do. Each command that needs one names it.
 */
export type Action = "sell" | "take_cash" | "refund" | "return" | "discount_beyond_limit" | "price_override" | "no_sale_open" | "reprint" | "open_shift" | "close_shift" | "pay_in_out" | "cash_drop" | "read_shift" | "read_day" | "check_payment" | "resolve_by_hand" | "close_day" | "edit_catalogue" | "change_settings" | "manage_staff";

/**
 * A staff member as the journal's rows name them.
 */
export type StaffRef = { id: number, name: string, role: Role, };

/**
 * Who is at the counter, as the screens show it.
 */
export type StaffStatus = { 
/**
 * The shop has accounts: the counter needs a sign-in.
 */
hasStaff: boolean, signedIn: StaffRef | null, 
/**
 * The supervisor or manager whose PIN opened the manager's screens.
 */
elevated: StaffRef | null, 
/**
 * What the signed-in person may do without another's PIN.
 */
may: Array<Action>, 
/**
 * Every role's actions: the table, for the screens to reflect.
 */
table: Array<[Role, Array<Action>]>, lockAfterIdleMinutes: number, };

/**
 * One account, as the manager's staff screen lists it (never its PIN).
 */
export type Account = { id: number, name: string, role: Role, active: boolean, };

/**
 * A change to an account; `None` keeps what it is.
 */
export type AccountChange = { name: string | null, role: Role | null, active: boolean | null, pin: string | null, };

export type NewAccount = { name: string, role: Role, pin: string, };

/**
 * What moves cash in or out of a shift's drawer that is not a sale.
 */
export type MovementKind = "pay_in" | "pay_out" | "drop" | "no_sale";

/**
 * A drawer counted by notes and coins: how many of each (by taka value).
 * Its total is what the count says; the pieces are kept with it.
 */
export type NoteCount = { 
/**
 * `(taka, pieces)`; each taka value one of [`DENOMINATIONS_TAKA`], once.
 */
pieces: Array<[number, number]>, };

/**
 * Cash as counted: a total, or notes and coins, or both (which must agree).
 */
export type CashCount = { totalPoisha: number | null, notes: NoteCount | null, };

export type CashMovement = { kind: MovementKind, amountPoisha: number, reason: string, 
/**
 * A supervisor's PIN for this one movement, when the cashier's role does not allow it.
 */
approval?: string, };

/**
 * The open shift as the counter shows it: never the cash expected, so the
 * count at the close stays blind.
 */
export type ShiftView = { id: number, counter: string, openedBy: string, openedAt: string, floatPoisha: number, };

/**
 * The day a sale rung up now belongs to, beside the calendar's: they differ
 * once today is closed, and the counter says so.
 */
export type CounterDay = { salesDay: string, calendarDay: string, };

export type ShiftReportKind = "x" | "z";

export type Count = { count: number, amountPoisha: number, };

export type MovementLine = { kind: MovementKind, amountPoisha: number, reason: string, by: string, approvedBy: string | null, at: string, };

export type CashierLine = { 
/**
 * Empty when nobody was signed in.
 */
name: string, cash: Count, bkash: Count, };

export type ShiftReport = { kind: ShiftReportKind, shift: number, counter: string, 
/**
 * The Z report's number at this counter.
 */
zNumber: number | null, shopName: string, openedBy: string, openedAt: string, 
/**
 * When the X was read, or when the shift closed.
 */
asOf: string, closedBy: string | null, floatPoisha: number, cash: Count, bkash: Count, 
/**
 * bKash refunds completed at this counter during the shift (they go
 * back to the customer's wallet, not out of the drawer).
 */
refunds: Count, payIns: Count, payOuts: Count, drops: Count, noSales: number, 
/**
 * Float + cash + pay-ins - pay-outs - drops: for a Z, as it stood at the close.
 */
expectedPoisha: number, countedPoisha: number | null, countedNotes: NoteCount | null, 
/**
 * Counted minus expected: negative is cash missing.
 */
differencePoisha: number | null, movements: Array<MovementLine>, byCashier: Array<CashierLine>, };

/**
 * One shift of the day: its drawer as the close fixed it (or, while it is
 * open, as it stands), its sales, and each cashier's part.
 */
export type ShiftLine = { shift: number, counter: string, openedBy: string, openedAt: string, 
/**
 * `None` while the shift is open.
 */
closedAt: string | null, closedBy: string | null, zNumber: number | null, floatPoisha: number, cash: Tally, bkash: Tally, 
/**
 * Fixed at the close; while open, as it stands now.
 */
expectedPoisha: number, countedPoisha: number | null, differencePoisha: number | null, byCashier: Array<CashierTotal>, };

export type CashierTotal = { 
/**
 * Empty when nobody was signed in.
 */
name: string, cash: Tally, bkash: Tally, };

/**
 * A cash sale of a closed day whose cash was taken after that day closed.
 */
export type CashCorrection = { closedIn: number, orderId: string, amountPoisha: number, takenAt: string, counter: string | null, cashier: string | null, };

export const PAYMENT_STATES: readonly PaymentState[] = ["new","creating","awaiting_customer","executing","completed","failed","unknown","cancelled","not_charged"];

export const REFUND_STATES: readonly RefundState[] = ["requested","completed","failed","unknown"];

export const EVENT_KINDS: readonly EventKind[] = ["started","transition","refund_requested","refund_checked","refund","customer_verified","customer_finished_late","query_unanswered","resolution_unverified","receipt_printed","receipt_not_printed"];

export const ERROR_CODES: readonly ErrorCode[] = ["payments_stopped","not_allowed","checkout_busy","no_checkout","checkout_window","interrupted","invalid_order","invalid_amount","invalid_format","invalid","order_already_paid","refund_too_large","wrong_state","not_found","create_failed","journal","export","vault","settings_file","environment_busy","pin_format","pin_already_set","pin_not_set","pin_wrong","pin_locked","manager_locked","phone_needs_tokenized","no_printer","print_failed","same_amount_checking","sale_already_paid","sale_being_paid","catalogue_file","setup_done","connection_failed","store_unreachable","store_refused","no_store","store_not_found","store_failed","not_signed_in","role_needed","pin_in_use","no_shift_open","shift_already_open","shift_still_open","day_to_come"];

export const SALE_RULES: SaleRules = {"minSalePoisha":100,"maxSalePoisha":100000000,"maxOrderIdChars":64,"maxItemNameChars":80,"maxQuantity":9999,"maxLines":500};

export const DENOMINATIONS_TAKA: readonly number[] = [1000,500,200,100,50,20,10,5,2,1];

export const PHONE_TIMEOUT_SECS: { min: number; max: number } = {"min":60,"max":300};
