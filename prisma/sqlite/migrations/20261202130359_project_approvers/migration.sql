-- AlterTable
-- Added in place rather than by redefining the table as Prisma writes it: inside the migrator's
-- transaction PRAGMA foreign_keys=OFF has no effect, so dropping "Project" would cascade to every
-- milestone, run and defect. The column is last in the model, so the result is the same table.
ALTER TABLE "Project" ADD COLUMN "approvers" TEXT NOT NULL DEFAULT '[]';
