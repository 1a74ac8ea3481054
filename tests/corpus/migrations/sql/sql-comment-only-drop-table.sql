-- TODO(v5): DROP TABLE legacy_orders; once the export job is retired
CREATE INDEX IF NOT EXISTS orders_created_at_idx ON orders (created_at);
