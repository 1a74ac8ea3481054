DROP INDEX CONCURRENTLY "app"."email_idx";
