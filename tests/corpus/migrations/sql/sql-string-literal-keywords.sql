INSERT INTO admin_audit (action, detail)
VALUES ('manual-cleanup', 'ran: DROP TABLE tmp_import; ALTER TABLE users DROP COLUMN tmp_flag;');
