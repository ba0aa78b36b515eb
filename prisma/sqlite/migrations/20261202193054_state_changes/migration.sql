-- CreateTable
CREATE TABLE "StateChange" (
    "milestoneId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "changedAt" DATETIME NOT NULL,
    "fromStatus" TEXT NOT NULL,
    "fromFlaky" BOOLEAN NOT NULL,
    "appearedAt" DATETIME NOT NULL,
    "toStatus" TEXT,
    "toFlaky" BOOLEAN,

    PRIMARY KEY ("milestoneId", "caseId", "environment", "changedAt"),
    CONSTRAINT "StateChange_milestoneId_fkey" FOREIGN KEY ("milestoneId") REFERENCES "Milestone" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_CurrentResult" (
    "milestoneId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "runStartedAt" DATETIME NOT NULL,
    "runCreatedAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "flaky" BOOLEAN NOT NULL,
    "appearedAt" DATETIME NOT NULL,
    "changedAt" DATETIME NOT NULL,

    PRIMARY KEY ("milestoneId", "caseId", "environment"),
    CONSTRAINT "CurrentResult_milestoneId_fkey" FOREIGN KEY ("milestoneId") REFERENCES "Milestone" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Fill: a pair appeared with its first counted result, and its row was last written with its current one.
INSERT INTO "new_CurrentResult" ("caseId", "environment", "flaky", "milestoneId", "runCreatedAt", "runId", "runStartedAt", "status", "appearedAt", "changedAt")
SELECT c."caseId", c."environment", c."flaky", c."milestoneId", c."runCreatedAt", c."runId", c."runStartedAt", c."status",
       COALESCE(h."firstAt", cur."recordedAt", c."runStartedAt"), COALESCE(cur."recordedAt", c."runStartedAt")
  FROM "CurrentResult" c
  LEFT JOIN "TestResult" cur ON cur."runId" = c."runId" AND cur."caseId" = c."caseId"
  LEFT JOIN (SELECT t."milestoneId" AS "milestoneId", r."caseId" AS "caseId", COALESCE(e."name", 'default') AS "environment", MIN(r."recordedAt") AS "firstAt"
               FROM "TestResult" r JOIN "TestRun" t ON t."id" = r."runId" LEFT JOIN "Environment" e ON e."id" = t."environmentId"
              WHERE t."milestoneId" IS NOT NULL AND t."status" <> 'ABORTED'
              GROUP BY t."milestoneId", r."caseId", COALESCE(e."name", 'default')) h
    ON h."milestoneId" = c."milestoneId" AND h."caseId" = c."caseId" AND h."environment" = c."environment";
DROP TABLE "CurrentResult";
ALTER TABLE "new_CurrentResult" RENAME TO "CurrentResult";
CREATE INDEX "CurrentResult_milestoneId_status_environment_flaky_caseId_idx" ON "CurrentResult"("milestoneId", "status", "environment", "flaky", "caseId");
CREATE INDEX "CurrentResult_milestoneId_appearedAt_idx" ON "CurrentResult"("milestoneId", "appearedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "StateChange_milestoneId_changedAt_idx" ON "StateChange"("milestoneId", "changedAt");

-- A change of a pair's status or flaky flag is logged with the state before and after it, dated with the
-- row's new changedAt (src/db/test-changes-query.ts reads them). Two in one millisecond make one row.
CREATE TRIGGER "CurrentResult_state_change" AFTER UPDATE OF "status", "flaky" ON "CurrentResult"
WHEN OLD."status" <> NEW."status" OR OLD."flaky" <> NEW."flaky"
BEGIN
  INSERT INTO "StateChange" ("milestoneId", "caseId", "environment", "changedAt", "fromStatus", "fromFlaky", "appearedAt", "toStatus", "toFlaky")
  VALUES (OLD."milestoneId", OLD."caseId", OLD."environment", NEW."changedAt", OLD."status", OLD."flaky", OLD."appearedAt", NEW."status", NEW."flaky")
  ON CONFLICT ("milestoneId", "caseId", "environment", "changedAt") DO UPDATE SET "toStatus" = excluded."toStatus", "toFlaky" = excluded."toFlaky";
END;
