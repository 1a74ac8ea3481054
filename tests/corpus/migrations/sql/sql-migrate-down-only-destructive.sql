-- +migrate Up
ALTER TABLE users ADD COLUMN timezone text NOT NULL DEFAULT 'UTC';

-- +migrate Down
ALTER TABLE users DROP COLUMN timezone;
DROP TABLE IF EXISTS users_timezone_backup;
