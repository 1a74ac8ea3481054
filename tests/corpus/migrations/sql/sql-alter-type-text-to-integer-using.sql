ALTER TABLE orders
    ALTER COLUMN reference TYPE integer USING reference::integer;
