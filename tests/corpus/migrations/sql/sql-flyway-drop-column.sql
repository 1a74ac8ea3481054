ALTER TABLE customer DROP COLUMN fax_number;
