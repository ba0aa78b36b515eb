-- Project is redefined (SQLite appends an added column to the stored CREATE TABLE
-- text, which the drift check compares with the model). Other tables reference
-- Project: the migrator runs migrations with foreign keys off (the PRAGMA below
-- is a no-op inside its transaction), so the DROP cascades to nothing, and checks
-- the references before it commits.
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Project" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workspaceId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slackChannelId" TEXT,
    "timeZone" TEXT NOT NULL DEFAULT 'UTC',
    "gatePolicy" TEXT NOT NULL DEFAULT '{}',
    "jiraProjectKey" TEXT,
    "jiraIssueType" TEXT,
    "jiraPriorityMap" TEXT NOT NULL DEFAULT '{}',
    "jiraLabels" TEXT NOT NULL DEFAULT '[]',
    "linkSecret" TEXT,
    "badgeEnabled" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Project_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Project" ("createdAt", "gatePolicy", "id", "jiraIssueType", "jiraLabels", "jiraPriorityMap", "jiraProjectKey", "key", "name", "slackChannelId", "timeZone", "updatedAt", "workspaceId") SELECT "createdAt", "gatePolicy", "id", "jiraIssueType", "jiraLabels", "jiraPriorityMap", "jiraProjectKey", "key", "name", "slackChannelId", "timeZone", "updatedAt", "workspaceId" FROM "Project";
DROP TABLE "Project";
ALTER TABLE "new_Project" RENAME TO "Project";
CREATE UNIQUE INDEX "Project_workspaceId_key_key" ON "Project"("workspaceId", "key");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
