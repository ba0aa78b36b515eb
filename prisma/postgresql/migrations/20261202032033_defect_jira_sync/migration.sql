-- CreateEnum
CREATE TYPE "JiraSync" AS ENUM ('PENDING', 'LINKED', 'FAILED');

-- AlterTable
ALTER TABLE "Defect" ADD COLUMN     "jiraSync" "JiraSync",
ADD COLUMN     "jiraSyncError" TEXT;

-- Existing links: a defect with a key was linked (or is being re-read); a creation
-- still queued is pending; one that failed for good says why.
UPDATE "Defect" SET "jiraSync" = 'LINKED' WHERE "jiraKey" IS NOT NULL;
UPDATE "Defect" SET "jiraSync" = 'PENDING'
 WHERE "jiraKey" IS NULL
   AND EXISTS (SELECT 1 FROM "OutboxItem" o WHERE o."dedupeKey" = 'jira.createIssue:' || "Defect"."id" AND o."status" = 'PENDING');
UPDATE "Defect" SET "jiraSync" = 'FAILED',
       "jiraSyncError" = (SELECT o."lastError" FROM "OutboxItem" o WHERE o."dedupeKey" = 'jira.createIssue:' || "Defect"."id")
 WHERE "jiraKey" IS NULL
   AND EXISTS (SELECT 1 FROM "OutboxItem" o WHERE o."dedupeKey" = 'jira.createIssue:' || "Defect"."id" AND o."status" = 'FAILED');
