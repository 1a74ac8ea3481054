-- email was VARCHAR(255) NULL
UPDATE customer SET email = '' WHERE email IS NULL;
ALTER TABLE customer MODIFY COLUMN email VARCHAR(255) NOT NULL;
