ALTER TABLE identity_verification
    DROP COLUMN revoked_ip,
    DROP COLUMN revoked;
