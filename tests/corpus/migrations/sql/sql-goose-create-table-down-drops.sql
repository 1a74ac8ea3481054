-- +goose Up
CREATE TABLE webhooks (
    id bigserial PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id),
    url text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_account_id_idx ON webhooks (account_id);

-- +goose Down
DROP TABLE webhooks;
