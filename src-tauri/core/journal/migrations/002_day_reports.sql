-- End-of-day reports: numbered, one per Bangladesh-local day, and never
-- changed once written. Later corrections appear on the next report.
CREATE TABLE day_reports (
    number      INTEGER PRIMARY KEY AUTOINCREMENT,
    day         TEXT    NOT NULL UNIQUE CHECK (length(day) = 10),
    closed_at   TEXT    NOT NULL,            -- RFC 3339, UTC
    body        TEXT    NOT NULL             -- the report as JSON, exactly as printed
);

CREATE TRIGGER day_reports_never_changed BEFORE UPDATE ON day_reports
BEGIN
    SELECT RAISE(ABORT, 'a closed day''s report cannot be changed');
END;

CREATE TRIGGER day_reports_never_deleted BEFORE DELETE ON day_reports
BEGIN
    SELECT RAISE(ABORT, 'a closed day''s report cannot be deleted');
END;

CREATE INDEX payments_by_updated_at ON payments (updated_at);
