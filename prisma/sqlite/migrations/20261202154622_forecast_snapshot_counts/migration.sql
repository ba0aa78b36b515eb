-- AlterTable
ALTER TABLE "ReadinessSnapshot" ADD COLUMN "failing" INTEGER;
ALTER TABLE "ReadinessSnapshot" ADD COLUMN "untested" INTEGER;
