ALTER TABLE "core_recipe" ADD COLUMN "foo" integer;
ALTER TABLE "core_recipe" ALTER COLUMN "foo" SET DEFAULT 10;
-- backfill column in batches
UPDATE "core_recipe" SET "foo" = 10 WHERE "foo" IS NULL;
ALTER TABLE "core_recipe" ALTER COLUMN "foo" SET NOT NULL;
