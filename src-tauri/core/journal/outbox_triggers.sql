-- The outbox's triggers (migration 007), created by `Outbox::enable` in the
-- same transaction as the snapshot of every row the journal already holds:
-- from then on, every change to a row the store shares writes its snapshot
-- in the change's own transaction.
CREATE TRIGGER IF NOT EXISTS outbox_payment_inserted AFTER INSERT ON payments
BEGIN
    INSERT INTO outbox (kind, body) SELECT 'payment', body FROM outbox_payment WHERE id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS outbox_payment_updated AFTER UPDATE ON payments
BEGIN
    INSERT INTO outbox (kind, body) SELECT 'payment', body FROM outbox_payment WHERE id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS outbox_payment_event_inserted AFTER INSERT ON payment_events
BEGIN
    INSERT INTO outbox (kind, body) SELECT 'payment_event', body FROM outbox_payment_event WHERE id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS outbox_refund_inserted AFTER INSERT ON refunds
BEGIN
    INSERT INTO outbox (kind, body) SELECT 'refund', body FROM outbox_refund WHERE id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS outbox_refund_updated AFTER UPDATE ON refunds
BEGIN
    INSERT INTO outbox (kind, body) SELECT 'refund', body FROM outbox_refund WHERE id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS outbox_store_refund_inserted AFTER INSERT ON store_refunds
BEGIN
    INSERT INTO outbox (kind, body) SELECT 'store_refund', body FROM outbox_store_refund WHERE id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS outbox_store_refund_updated AFTER UPDATE ON store_refunds
BEGIN
    INSERT INTO outbox (kind, body) SELECT 'store_refund', body FROM outbox_store_refund WHERE id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS outbox_sale_inserted AFTER INSERT ON sales
BEGIN
    INSERT INTO outbox (kind, body) SELECT 'sale', body FROM outbox_sale WHERE id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS outbox_sale_updated AFTER UPDATE ON sales
BEGIN
    INSERT INTO outbox (kind, body) SELECT 'sale', body FROM outbox_sale WHERE id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS outbox_sale_line_inserted AFTER INSERT ON sale_lines
BEGIN
    INSERT INTO outbox (kind, body) SELECT 'sale', body FROM outbox_sale WHERE id = NEW.sale;
END;
CREATE TRIGGER IF NOT EXISTS outbox_sale_line_deleted AFTER DELETE ON sale_lines
BEGIN
    INSERT INTO outbox (kind, body) SELECT 'sale', body FROM outbox_sale WHERE id = OLD.sale;
END;
CREATE TRIGGER IF NOT EXISTS outbox_cash_tender_inserted AFTER INSERT ON cash_tenders
BEGIN
    INSERT INTO outbox (kind, body) SELECT 'cash_tender', body FROM outbox_cash_tender WHERE sale = NEW.sale;
END;
CREATE TRIGGER IF NOT EXISTS outbox_drawer_count_inserted AFTER INSERT ON drawer_counts
BEGIN
    INSERT INTO outbox (kind, body) SELECT 'drawer_count', body FROM outbox_drawer_count
        WHERE day = NEW.day AND counter_id = NEW.counter_id;
END;
CREATE TRIGGER IF NOT EXISTS outbox_drawer_count_updated AFTER UPDATE ON drawer_counts
BEGIN
    INSERT INTO outbox (kind, body) SELECT 'drawer_count', body FROM outbox_drawer_count
        WHERE day = NEW.day AND counter_id = NEW.counter_id;
END;
CREATE TRIGGER IF NOT EXISTS outbox_day_report_inserted AFTER INSERT ON day_reports
BEGIN
    INSERT INTO outbox (kind, body) SELECT 'day_report', body FROM outbox_day_report WHERE number = NEW.number;
END;
CREATE TRIGGER IF NOT EXISTS outbox_store_action_inserted AFTER INSERT ON store_actions
BEGIN
    INSERT INTO outbox (kind, body) SELECT 'store_action', body FROM outbox_store_action WHERE id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS outbox_store_action_updated AFTER UPDATE ON store_actions
BEGIN
    INSERT INTO outbox (kind, body) SELECT 'store_action', body FROM outbox_store_action WHERE id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS outbox_store_action_receipt_inserted AFTER INSERT ON store_action_receipts
BEGIN
    INSERT INTO outbox (kind, body) SELECT 'store_action_receipt', body FROM outbox_store_action_receipt
        WHERE acting_counter = NEW.acting_counter AND action_id = NEW.action_id;
END;
CREATE TRIGGER IF NOT EXISTS outbox_shift_inserted AFTER INSERT ON shifts
BEGIN
    INSERT INTO outbox (kind, body) SELECT 'shift', body FROM outbox_shift WHERE id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS outbox_shift_updated AFTER UPDATE ON shifts
BEGIN
    INSERT INTO outbox (kind, body) SELECT 'shift', body FROM outbox_shift WHERE id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS outbox_drawer_movement_inserted AFTER INSERT ON drawer_movements
BEGIN
    INSERT INTO outbox (kind, body) SELECT 'drawer_movement', body FROM outbox_drawer_movement WHERE id = NEW.id;
END;
