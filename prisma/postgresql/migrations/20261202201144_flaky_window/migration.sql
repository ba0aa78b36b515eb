-- AlterTable: the column is added in place (redefining CurrentResult would drop its StateChange trigger).
ALTER TABLE "CurrentResult" ADD COLUMN "recent" TEXT NOT NULL DEFAULT '';

-- Fill: each pair's window (its last 20 passed and failed results in run order, P passed, p passed
-- after a retry, F failed) from history, as src/db/flaky-window.ts refreshWindowsSql computes it.
UPDATE "CurrentResult" SET "recent" = w."recent" FROM (SELECT h."milestoneId", h."caseId", h."environment", string_agg(h."mark", '' ORDER
BY h.rn DESC) AS "recent" FROM (SELECT t."milestoneId" AS "milestoneId", r."caseId" AS "caseId", COALESCE(e."name", 'default') AS
"environment", (CASE WHEN r."status" = 'PASSED' THEN (CASE WHEN r."flaky" THEN 'p' ELSE 'P' END) WHEN r."status" = 'FAILED' THEN 'F' ELSE
'' END) AS "mark", ROW_NUMBER() OVER (PARTITION BY t."milestoneId", r."caseId", COALESCE(e."name", 'default') ORDER BY CASE WHEN r."status"
IN ('PASSED', 'FAILED') THEN 0 ELSE 1 END, t."startedAt" DESC, t."createdAt" DESC, t."id" DESC) AS rn FROM "TestResult" r JOIN "TestRun" t
ON t."id" = r."runId" LEFT JOIN "Environment" e ON e."id" = t."environmentId" WHERE t."milestoneId" IS NOT NULL AND t."status" <> 'ABORTED'
AND (1 = 1)) h WHERE h.rn <= 20 GROUP BY h."milestoneId", h."caseId", h."environment") w WHERE "CurrentResult"."milestoneId" =
w."milestoneId" AND "CurrentResult"."caseId" = w."caseId" AND "CurrentResult"."environment" = w."environment" AND "CurrentResult"."recent"
<> w."recent"
;
