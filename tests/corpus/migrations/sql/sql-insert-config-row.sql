INSERT INTO config (key, value) VALUES ('feature_x', 'enabled');
