//! The bKash error codes this simulator answers with, and their published
//! words. The simulator keeps its own table, apart from the client's
//! (`pos_core::bkash::codes`): it is the oracle the client is tested against,
//! so the two must agree because both follow bKash, not because they share code.

/// A bKash error code the simulator answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// 2001: Invalid App Key
    InvalidAppKey,
    /// 2002: Invalid Payment ID
    InvalidPaymentId,
    /// 2006: Invalid amount
    InvalidAmount,
    /// 2007: Invalid currency
    InvalidCurrency,
    /// 2008: Invalid intent
    InvalidIntent,
    /// 2009: Invalid Wallet
    InvalidWallet,
    /// 2013: Resend Limit Exceeded
    ResendLimitExceeded,
    /// 2014: Wrong PIN
    WrongPin,
    /// 2015: Wrong PIN count exceeded
    WrongPinCountExceeded,
    /// 2016: Wrong verification code
    WrongOtp,
    /// 2017: Wrong verification limit exceeded
    WrongOtpLimitExceeded,
    /// 2023: Insufficient Balance
    InsufficientBalance,
    /// 2025: Invalid request body
    InvalidRequestBody,
    /// 2026: The reversal amount cannot be greater than the original transaction amount
    RefundAboveAmount,
    /// 2028: Reverse failed because the transaction serial number does not exist
    NoSuchTransactionToReverse,
    /// 2029: Duplicate for all transactions
    Duplicate,
    /// 2031: Invalid merchant invoice number
    InvalidInvoiceNumber,
    /// 2033: Transaction not found
    TransactionNotFound,
    /// 2034: The transaction cannot be reversed because the original transaction has been reversed
    AlreadyReversed,
    /// 2037: The account of the debit party is in a state which prohibits execution of this transaction
    DebitPartyBlocked,
    /// 2043: The security credential of the subscriber is incorrect.
    WrongCredential,
    /// 2047: TLV Data Format Error
    TlvDataFormatError,
    /// 2048: Invalid Payer Reference
    InvalidPayerReference,
    /// 2049: Invalid Merchant Callback URL
    InvalidCallbackUrl,
    /// 2051: Invalid Agreement ID
    InvalidAgreementId,
    /// 2052: Agreement is in incomplete state
    AgreementIncomplete,
    /// 2053: Agreement has already been cancelled
    AgreementCancelled,
    /// 2054: Agreement execution pre-requisite hasn't been met
    AgreementNotReady,
    /// 2056: Invalid Payment State
    InvalidPaymentState,
    /// 2060: Payment execution pre-requisite hasn't been met
    PaymentNotReady,
    /// 2063: Mode is not valid as per request data
    InvalidMode,
    /// 2065: Mendatory field missing
    MandatoryFieldMissing,
    /// 2073: Invalid SKU
    InvalidSku,
    /// 2075: SKU Character Limit Exceeded
    SkuTooLong,
    /// 2076: Reason Character Limit Exceeded
    ReasonTooLong,
    /// 2078: Invalid Reason
    InvalidReason,
    /// 2116: The agreement execution has already been completed
    AgreementAlreadyExecuted,
    /// 2117: Payment execution already been called before
    AlreadyExecuted,
    /// 2119: The authorized payment has already been processed
    AuthorizationAlreadyProcessed,
    /// 2127: Transaction not yet completed
    TransactionNotCompleted,
}

impl Code {
    /// The code as bKash writes it: four digits.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidAppKey => "2001",
            Code::InvalidPaymentId => "2002",
            Code::InvalidAmount => "2006",
            Code::InvalidCurrency => "2007",
            Code::InvalidIntent => "2008",
            Code::InvalidWallet => "2009",
            Code::ResendLimitExceeded => "2013",
            Code::WrongPin => "2014",
            Code::WrongPinCountExceeded => "2015",
            Code::WrongOtp => "2016",
            Code::WrongOtpLimitExceeded => "2017",
            Code::InsufficientBalance => "2023",
            Code::InvalidRequestBody => "2025",
            Code::RefundAboveAmount => "2026",
            Code::NoSuchTransactionToReverse => "2028",
            Code::Duplicate => "2029",
            Code::InvalidInvoiceNumber => "2031",
            Code::TransactionNotFound => "2033",
            Code::AlreadyReversed => "2034",
            Code::DebitPartyBlocked => "2037",
            Code::WrongCredential => "2043",
            Code::TlvDataFormatError => "2047",
            Code::InvalidPayerReference => "2048",
            Code::InvalidCallbackUrl => "2049",
            Code::InvalidAgreementId => "2051",
            Code::AgreementIncomplete => "2052",
            Code::AgreementCancelled => "2053",
            Code::AgreementNotReady => "2054",
            Code::InvalidPaymentState => "2056",
            Code::PaymentNotReady => "2060",
            Code::InvalidMode => "2063",
            Code::MandatoryFieldMissing => "2065",
            Code::InvalidSku => "2073",
            Code::SkuTooLong => "2075",
            Code::ReasonTooLong => "2076",
            Code::InvalidReason => "2078",
            Code::AgreementAlreadyExecuted => "2116",
            Code::AlreadyExecuted => "2117",
            Code::AuthorizationAlreadyProcessed => "2119",
            Code::TransactionNotCompleted => "2127",
        }
    }

    /// bKash's published message for the code (typos included: bKash writes "Mendatory").
    pub fn message(self) -> &'static str {
        match self {
            Code::InvalidAppKey => "Invalid App Key",
            Code::InvalidPaymentId => "Invalid Payment ID",
            Code::InvalidAmount => "Invalid amount",
            Code::InvalidCurrency => "Invalid currency",
            Code::InvalidIntent => "Invalid intent",
            Code::InvalidWallet => "Invalid Wallet",
            Code::ResendLimitExceeded => "Resend Limit Exceeded",
            Code::WrongPin => "Wrong PIN",
            Code::WrongPinCountExceeded => "Wrong PIN count exceeded",
            Code::WrongOtp => "Wrong verification code",
            Code::WrongOtpLimitExceeded => "Wrong verification limit exceeded",
            Code::InsufficientBalance => "Insufficient Balance",
            Code::InvalidRequestBody => "Invalid request body",
            Code::RefundAboveAmount => "The reversal amount cannot be greater than the original transaction amount",
            Code::NoSuchTransactionToReverse => "Reverse failed because the transaction serial number does not exist",
            Code::Duplicate => "Duplicate for all transactions",
            Code::InvalidInvoiceNumber => "Invalid merchant invoice number",
            Code::TransactionNotFound => "Transaction not found",
            Code::AlreadyReversed => "The transaction cannot be reversed because the original transaction has been reversed",
            Code::DebitPartyBlocked => "The account of the debit party is in a state which prohibits execution of this transaction",
            Code::WrongCredential => "The security credential of the subscriber is incorrect.",
            Code::TlvDataFormatError => "TLV Data Format Error",
            Code::InvalidPayerReference => "Invalid Payer Reference",
            Code::InvalidCallbackUrl => "Invalid Merchant Callback URL",
            Code::InvalidAgreementId => "Invalid Agreement ID",
            Code::AgreementIncomplete => "Agreement is in incomplete state",
            Code::AgreementCancelled => "Agreement has already been cancelled",
            Code::AgreementNotReady => "Agreement execution pre-requisite hasn't been met",
            Code::InvalidPaymentState => "Invalid Payment State",
            Code::PaymentNotReady => "Payment execution pre-requisite hasn't been met",
            Code::InvalidMode => "Mode is not valid as per request data",
            Code::MandatoryFieldMissing => "Mendatory field missing",
            Code::InvalidSku => "Invalid SKU",
            Code::SkuTooLong => "SKU Character Limit Exceeded",
            Code::ReasonTooLong => "Reason Character Limit Exceeded",
            Code::InvalidReason => "Invalid Reason",
            Code::AgreementAlreadyExecuted => "The agreement execution has already been completed",
            Code::AlreadyExecuted => "Payment execution already been called before",
            Code::AuthorizationAlreadyProcessed => "The authorized payment has already been processed",
            Code::TransactionNotCompleted => "Transaction not yet completed",
        }
    }
}

/// Tokenized Checkout's success `statusCode`.
pub const SUCCESSFUL: &str = "0000";

/// Tokenized Checkout's `mode` of a Create Payment call.
pub mod mode {
    /// Create an agreement (no money moves).
    pub const CREATE_AGREEMENT: &str = "0000";
    /// Pay with an agreement the customer made earlier.
    pub const PAY_WITH_AGREEMENT: &str = "0001";
    /// Pay once, without an agreement.
    pub const PAY_WITHOUT_AGREEMENT: &str = "0011";
}

/// A payment's `intent`.
pub mod intent {
    pub const SALE: &str = "sale";
    /// Checkout's authorize-then-capture.
    pub const AUTHORIZATION: &str = "authorization";
}
