-- +migrate Up
ALTER TABLE users RENAME COLUMN fullname TO display_name;

-- +migrate Down
ALTER TABLE users RENAME COLUMN display_name TO fullname;
