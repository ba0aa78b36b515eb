-- AlterTable
ALTER TABLE "ReadinessSnapshot" ADD COLUMN     "failing" INTEGER,
ADD COLUMN     "untested" INTEGER;
