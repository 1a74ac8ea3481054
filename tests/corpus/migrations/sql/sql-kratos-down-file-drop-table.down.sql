DROP TABLE IF EXISTS identity_pending_traits_changes;
