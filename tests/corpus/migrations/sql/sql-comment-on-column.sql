COMMENT ON COLUMN users.legacy_flag IS 'Deprecated: will be dropped after the v5 release (DROP COLUMN planned).';
