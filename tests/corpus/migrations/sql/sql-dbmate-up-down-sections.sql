-- migrate:up
ALTER TABLE sessions DROP COLUMN legacy_token;

-- migrate:down
ALTER TABLE sessions ADD COLUMN legacy_token text;
