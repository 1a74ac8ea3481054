-- +goose NO TRANSACTION
-- +goose Up
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders (customer_id);

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS orders_customer_id_idx;
