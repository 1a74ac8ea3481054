CREATE TABLE audit_trail (
    id bigserial PRIMARY KEY,
    actor text NOT NULL,
    action text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
