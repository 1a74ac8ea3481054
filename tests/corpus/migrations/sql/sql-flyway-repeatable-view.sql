-- Repeatable migration: re-applied whenever its checksum changes.
CREATE OR REPLACE VIEW customer_summary AS
SELECT c.id,
       c.name,
       c.email,
       count(o.id) AS order_count
FROM customer c
LEFT JOIN orders o ON o.customer_id = c.id
GROUP BY c.id, c.name, c.email;
