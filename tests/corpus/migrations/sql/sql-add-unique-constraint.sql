ALTER TABLE distributors ADD CONSTRAINT dist_id_uniq UNIQUE (dist_id);
