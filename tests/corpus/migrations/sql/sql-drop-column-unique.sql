-- users has UNIQUE (email)
ALTER TABLE users DROP COLUMN email;
