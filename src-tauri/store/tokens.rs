//! `StoreTokenStore`: one sealed bKash token pair per merchant.
