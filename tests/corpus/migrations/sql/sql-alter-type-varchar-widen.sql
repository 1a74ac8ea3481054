-- country was varchar(5)
ALTER TABLE users ALTER COLUMN country TYPE varchar(10);
