ALTER TABLE accounts VALIDATE CONSTRAINT positive_balance;
