-- The Defect table is redefined rather than altered: SQLite's ADD COLUMN appends
-- to the stored CREATE TABLE text, and the drift check compares that text with
-- what the model builds. Nothing references Defect, so dropping it is safe.
-- RedefineTables
CREATE TABLE "new_Defect" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "milestoneId" TEXT,
    "testCaseId" TEXT,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "severity" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "jiraKey" TEXT,
    "jiraStatus" TEXT,
    "jiraStatusCategory" TEXT,
    "jiraUrl" TEXT,
    "jiraUpdatedAt" DATETIME,
    "jiraSync" TEXT,
    "jiraSyncError" TEXT,
    "waiverReason" TEXT,
    "waiverUntil" DATETIME,
    "waivedBy" TEXT,
    "reportedBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Defect_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Defect_milestoneId_fkey" FOREIGN KEY ("milestoneId") REFERENCES "Milestone" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Defect_testCaseId_fkey" FOREIGN KEY ("testCaseId") REFERENCES "TestCase" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Defect" ("id", "projectId", "milestoneId", "testCaseId", "title", "description", "severity", "status", "jiraKey", "jiraStatus", "jiraStatusCategory", "jiraUrl", "jiraUpdatedAt", "waiverReason", "waiverUntil", "waivedBy", "reportedBy", "createdAt", "updatedAt")
SELECT "id", "projectId", "milestoneId", "testCaseId", "title", "description", "severity", "status", "jiraKey", "jiraStatus", "jiraStatusCategory", "jiraUrl", "jiraUpdatedAt", "waiverReason", "waiverUntil", "waivedBy", "reportedBy", "createdAt", "updatedAt" FROM "Defect";
DROP TABLE "Defect";
ALTER TABLE "new_Defect" RENAME TO "Defect";
CREATE INDEX "Defect_milestoneId_status_idx" ON "Defect"("milestoneId", "status");
CREATE INDEX "Defect_projectId_status_idx" ON "Defect"("projectId", "status");
CREATE INDEX "Defect_jiraKey_idx" ON "Defect"("jiraKey");

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
