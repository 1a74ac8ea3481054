/*
 * Rollback, if ever needed:
 *   ALTER TABLE users DROP COLUMN locale;
 */
ALTER TABLE users ADD COLUMN locale text;
