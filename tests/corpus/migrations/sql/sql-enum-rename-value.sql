ALTER TYPE task_status RENAME VALUE 'done' TO 'completed';
