-- country was varchar(10)
ALTER TABLE users ALTER COLUMN country TYPE varchar(2);
