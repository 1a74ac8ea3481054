-- dist_id_uniq was created CONCURRENTLY by V35
ALTER TABLE distributors ADD CONSTRAINT distributors_dist_id_key UNIQUE USING INDEX dist_id_uniq;
