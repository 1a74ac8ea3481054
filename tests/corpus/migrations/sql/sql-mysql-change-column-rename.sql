ALTER TABLE customer CHANGE COLUMN phone phone_number VARCHAR(32) NULL;
