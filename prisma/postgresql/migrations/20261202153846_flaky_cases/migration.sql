-- CreateTable
CREATE TABLE "FlakyCase" (
    "milestoneId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "results" INTEGER NOT NULL,
    "flips" INTEGER NOT NULL,
    "flipRate" DOUBLE PRECISION NOT NULL,
    "retried" INTEGER NOT NULL,

    CONSTRAINT "FlakyCase_pkey" PRIMARY KEY ("milestoneId","caseId","environment")
);

-- CreateIndex
CREATE INDEX "FlakyCase_milestoneId_flipRate_flips_caseId_environment_idx" ON "FlakyCase"("milestoneId", "flipRate", "flips", "caseId", "environment");

-- AddForeignKey
ALTER TABLE "FlakyCase" ADD CONSTRAINT "FlakyCase_milestoneId_fkey" FOREIGN KEY ("milestoneId") REFERENCES "Milestone"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Fill: every milestone's flaky pairs from its history (src/db/flaky-cases-query.ts flakinessSql, default policy).
INSERT INTO "FlakyCase" ("milestoneId", "caseId", "environment", "results", "flips", "flipRate", "retried")
SELECT f."milestoneId", f."caseId", f."environment", f.n, f.flips, CAST(f.flips AS DOUBLE PRECISION) / CAST(f.n - 1 AS DOUBLE PRECISION), f.retried FROM (SELECT w."milestoneId" AS "milestoneId", w."caseId" AS "caseId", w."environment" AS "environment", COUNT(*) AS n, SUM(CASE WHEN w."prev" IS NOT NULL AND w."prev" <> w."status" THEN 1 ELSE 0 END) AS flips, SUM(w."retried") AS retried FROM (SELECT h."milestoneId", h."caseId", h."environment", h."status", h."retried", LAG(h."status") OVER (PARTITION BY h."milestoneId", h."caseId", h."environment" ORDER BY h.rn DESC) AS "prev" FROM (SELECT t."milestoneId" AS "milestoneId", r."caseId" AS "caseId", COALESCE(e."name", 'default') AS "environment", CAST(r."status" AS TEXT) AS "status", CASE WHEN r."status" = 'PASSED' AND r."flaky" THEN 1 ELSE 0 END AS "retried", ROW_NUMBER() OVER (PARTITION BY t."milestoneId", r."caseId", COALESCE(e."name", 'default') ORDER BY t."startedAt" DESC, t."createdAt" DESC, t."id" DESC) AS rn FROM "TestResult" r JOIN "TestRun" t ON t."id" = r."runId" LEFT JOIN "Environment" e ON e."id" = t."environmentId" WHERE t."status" <> 'ABORTED' AND r."status" IN ('PASSED', 'FAILED') AND (t."milestoneId" IS NOT NULL)) h WHERE h.rn <= 20) w GROUP BY w."milestoneId", w."caseId", w."environment" HAVING COUNT(*) > 1 AND SUM(CASE WHEN w."prev" IS NOT NULL AND w."prev" <> w."status" THEN 1 ELSE 0 END) >= 2 AND SUM(CASE WHEN w."prev" IS NOT NULL AND w."prev" <> w."status" THEN 1 ELSE 0 END) >= 0.2 * (COUNT(*) - 1) - 0.000000001) f;
