ALTER TABLE books ADD COLUMN meta json;
