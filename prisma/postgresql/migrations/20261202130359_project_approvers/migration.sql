-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "approvers" TEXT NOT NULL DEFAULT '[]';
