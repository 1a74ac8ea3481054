-- status was ENUM('new','paid','on_hold','shipped')
UPDATE orders SET status = 'new' WHERE status = 'on_hold';
ALTER TABLE orders MODIFY COLUMN status ENUM('new','paid','shipped') NOT NULL DEFAULT 'new';
