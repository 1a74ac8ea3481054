PRAGMA foreign_keys=off;
BEGIN TRANSACTION;

-- old definition: CHECK (role IN ('member', 'admin'))
CREATE TABLE users_new (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin', 'auditor'))
);

INSERT INTO users_new SELECT id, email, created_at, role FROM users;

DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

COMMIT;
PRAGMA foreign_keys=on;
