//! `StoreDay`: the manager's store-wide day, read from PostgreSQL.
