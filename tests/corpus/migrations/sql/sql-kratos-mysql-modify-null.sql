ALTER TABLE identity_verification_tokens MODIFY identity_verifiable_address_id CHAR(36) NULL DEFAULT NULL;
