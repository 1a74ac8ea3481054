ALTER TABLE orders
  ADD CONSTRAINT orders_total_non_negative CHECK (total >= 0);

ALTER TABLE orders
  ALTER COLUMN metadata TYPE jsonb USING metadata::jsonb;
