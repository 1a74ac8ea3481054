CREATE VIEW user_favorites AS SELECT * FROM user_stars;
