ALTER TABLE orders
    DROP INDEX idx_orders_customer,
    ADD INDEX idx_orders_customer_created (customer_id, created_at),
    ALGORITHM=INPLACE, LOCK=NONE;
