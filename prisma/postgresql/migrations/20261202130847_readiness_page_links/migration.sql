-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "badgeEnabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "linkSecret" TEXT;
