//! bKash's error codes (`../shared/bkash/API.md` §4), each with its published
//! message and what it tells the caller about money.

/// What a bKash error code means for the payment it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finality {
    /// bKash processed the request and refused it: no money moved by this call.
    Refused,
    /// The operation was already carried out before (2062, 2068, 2116, 2117,
    /// 2119): the earlier call may have moved money, so only Query tells.
    AlreadyDone,
    /// A transient fault on bKash's side (2003, 2020, 2024, 503, 9999): the
    /// outcome of this call is not known.
    Transient,
}

/// `(code, message, finality)` for every code bKash documents.
pub const CODES: &[(&str, &str, Finality)] = {
    use Finality::*;
    &[
        ("2001", "Invalid App Key", Refused),
        ("2002", "Invalid Payment ID", Refused),
        ("2003", "Process failed", Transient),
        ("2004", "Invalid firstPaymentDate", Refused),
        ("2005", "Invalid frequency", Refused),
        ("2006", "Invalid amount", Refused),
        ("2007", "Invalid currency", Refused),
        ("2008", "Invalid intent", Refused),
        ("2009", "Invalid Wallet", Refused),
        ("2010", "Invalid OTP", Refused),
        ("2011", "Invalid PIN", Refused),
        ("2012", "Invalid Receiver MSISDN", Refused),
        ("2013", "Resend Limit Exceeded", Refused),
        ("2014", "Wrong PIN", Refused),
        ("2015", "Wrong PIN count exceeded", Refused),
        ("2016", "Wrong verification code", Refused),
        ("2017", "Wrong verification limit exceeded", Refused),
        ("2018", "OTP verification time expired", Refused),
        ("2019", "PIN verification time expired", Refused),
        ("2020", "Exception Occurred", Transient),
        ("2021", "Invalid Mandate ID", Refused),
        ("2022", "The mandate does not exist", Refused),
        ("2023", "Insufficient Balance", Refused),
        ("2024", "Exception occurred", Transient),
        ("2025", "Invalid request body", Refused),
        ("2026", "The reversal amount cannot be greater than the original transaction amount", Refused),
        ("2027", "The mandate corresponding to the payer reference number already exists and cannot be created again", Refused),
        ("2028", "Reverse failed because the transaction serial number does not exist", Refused),
        ("2029", "Duplicate for all transactions", Refused),
        ("2030", "Invalid mandate request type", Refused),
        ("2031", "Invalid merchant invoice number", Refused),
        ("2032", "Invalid transfer type", Refused),
        ("2033", "Transaction not found", Refused),
        ("2034", "The transaction cannot be reversed because the original transaction has been reversed", Refused),
        ("2035", "Reverse failed because the initiator has no permission to reverse the transaction", Refused),
        ("2036", "The direct debit mandate is not in Active state", Refused),
        ("2037", "The account of the debit party is in a state which prohibits execution of this transaction", Refused),
        ("2038", "Debit party identity tag prohibits execution of this transaction", Refused),
        ("2039", "The account of the credit party is in a state which prohibits execution of this transaction", Refused),
        ("2040", "Credit party identity tag prohibits execution of this transaction", Refused),
        ("2041", "Credit party identity is in a state which does not support the current service", Refused),
        ("2042", "Reverse failed because the initiator has no permission to reverse the transaction.", Refused),
        ("2043", "The security credential of the subscriber is incorrect.", Refused),
        (
            "2044",
            "Identity has not subscribed to a product that contains the expected service or the identity is not in Active status.",
            Refused,
        ),
        ("2045", "The MSISDN of the customer does not exist.", Refused),
        ("2046", "Identity has not subscribed to a product that contains requested service.", Refused),
        ("2047", "TLV Data Format Error", Refused),
        ("2048", "Invalid Payer Reference", Refused),
        ("2049", "Invalid Merchant Callback URL", Refused),
        ("2050", "Agreement already exists between payer and merchant", Refused),
        ("2051", "Invalid Agreement ID", Refused),
        ("2052", "Agreement is in incomplete state", Refused),
        ("2053", "Agreement has already been cancelled", Refused),
        ("2054", "Agreement execution pre-requisite hasn't been met", Refused),
        ("2055", "Invalid Agreement State", Refused),
        ("2056", "Invalid Payment State", Refused),
        ("2057", "Not a bKash Account", Refused),
        ("2058", "Not a Customer Wallet", Refused),
        ("2059", "Multiple OTP request for a single session denied", Refused),
        ("2060", "Payment execution pre-requisite hasn't been met", Refused),
        ("2061", "This action can only be performed by the agreement or payment initiator party", Refused),
        ("2062", "The payment has already been completed", AlreadyDone),
        ("2063", "Mode is not valid as per request data", Refused),
        ("2064", "This product mode currently unavailable", Refused),
        ("2065", "Mendatory field missing", Refused),
        ("2066", "Agreement is not shared with other merchant", Refused),
        ("2067", "Invalid permission", Refused),
        ("2068", "Transaction has already been completed", AlreadyDone),
        ("2069", "Transaction has already been cancelled", Refused),
        ("2071", "Refund after %s days not allowed", Refused),
        ("2072", "Refund amount not valid", Refused),
        ("2073", "Invalid SKU", Refused),
        ("2074", "The transaction cannot be reversed", Refused),
        ("2075", "SKU Character Limit Exceeded", Refused),
        ("2076", "Reason Character Limit Exceeded", Refused),
        ("2077", "Invalid TrxID", Refused),
        ("2078", "Invalid Reason", Refused),
        ("2079", "Invalid app Token", Refused),
        ("2080", "The identity is not permitted to initiate this transaction", Refused),
        ("2081", "The identity of the debit or credit party is in a state which prohibits the execution of this transaction", Refused),
        ("2082", "The merchant is not permitted to initiate this transaction", Refused),
        ("2116", "The agreement execution has already been completed", AlreadyDone),
        ("2117", "Payment execution already been called before", AlreadyDone),
        ("2118", "The Platform value is invalid", Refused),
        ("2119", "The authorized payment has already been processed", AlreadyDone),
        ("2127", "Transaction not yet completed", Refused),
        ("503", "System is undergoing maintenance. Please try again later", Transient),
        ("9999", "Internal server error", Transient),
    ]
};

/// bKash's published message for `code`, if it is one bKash documents.
pub fn message(code: &str) -> Option<&'static str> {
    CODES.iter().find(|(c, _, _)| *c == code).map(|(_, m, _)| *m)
}

/// What `code` means for money. An unknown code is treated as transient:
/// we cannot claim bKash refused what we cannot read.
pub fn finality(code: &str) -> Finality {
    CODES.iter().find(|(c, _, _)| *c == code).map(|(_, _, f)| *f).unwrap_or(Finality::Transient)
}

/// Answers whose code alone reads as transient but whose words refuse:
/// bKash's sandbox answered a Tokenized grant with unknown credentials
/// `{"statusCode":"9999","statusMessage":"Username does not exist"}`
/// (API.md §4, 9999). A fault would not name the user; a refusal does.
pub const REFUSING_MESSAGES: &[(&str, &str)] = &[("9999", "Username does not exist")];

/// What `code`, sent with `message`, means for money.
pub fn finality_of(code: &str, message: &str) -> Finality {
    if REFUSING_MESSAGES.contains(&(code, message)) {
        return Finality::Refused;
    }
    finality(code)
}
