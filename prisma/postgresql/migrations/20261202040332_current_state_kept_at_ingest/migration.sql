-- CreateTable
CREATE TABLE "CurrentResult" (
    "milestoneId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "runStartedAt" TIMESTAMP(3) NOT NULL,
    "runCreatedAt" TIMESTAMP(3) NOT NULL,
    "status" "ResultStatus" NOT NULL,
    "flaky" BOOLEAN NOT NULL,

    CONSTRAINT "CurrentResult_pkey" PRIMARY KEY ("milestoneId","caseId","environment")
);

-- CreateIndex
CREATE INDEX "CurrentResult_milestoneId_status_environment_flaky_caseId_idx" ON "CurrentResult"("milestoneId", "status", "environment", "flaky", "caseId");

-- AddForeignKey
ALTER TABLE "CurrentResult" ADD CONSTRAINT "CurrentResult_milestoneId_fkey" FOREIGN KEY ("milestoneId") REFERENCES "Milestone"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Fill the table from the results already stored: per (milestone, case, environment), the
-- result of the newest non-aborted run (bestResultsSql in src/db/current-state.ts, where "true").
INSERT INTO "CurrentResult" ("milestoneId", "caseId", "environment", "runId", "runStartedAt", "runCreatedAt", "status", "flaky")
SELECT "milestoneId", "caseId", "environment", "runId", "runStartedAt", "runCreatedAt", "status", "flaky"
  FROM (SELECT t."milestoneId" AS "milestoneId", r."caseId" AS "caseId", COALESCE(e."name", 'default') AS "environment", t."id" AS "runId", t."startedAt" AS "runStartedAt", t."createdAt" AS "runCreatedAt", r."status" AS "status", r."flaky" AS "flaky",
        ROW_NUMBER() OVER (PARTITION BY t."milestoneId", r."caseId", COALESCE(e."name", 'default') ORDER BY t."startedAt" DESC, t."createdAt" DESC, t."id" DESC) AS rn
        FROM "TestRun" t LEFT JOIN "Environment" e ON e."id" = t."environmentId" JOIN "TestResult" r ON r."runId" = t."id"
        WHERE t."milestoneId" IS NOT NULL AND t."status" <> 'ABORTED' AND (true)) best WHERE best.rn = 1;
