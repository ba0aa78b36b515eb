-- AlterTable
ALTER TABLE "CurrentResult" ADD COLUMN     "appearedAt" TIMESTAMP(3),
ADD COLUMN     "changedAt" TIMESTAMP(3);

-- Fill: a pair appeared with its first counted result, and its row was last written with its current one.
UPDATE "CurrentResult" c SET "changedAt" = COALESCE(
  (SELECT cur."recordedAt" FROM "TestResult" cur WHERE cur."runId" = c."runId" AND cur."caseId" = c."caseId"), c."runStartedAt");
UPDATE "CurrentResult" c SET "appearedAt" = COALESCE(h."firstAt", c."changedAt")
  FROM (SELECT t."milestoneId" AS "milestoneId", r."caseId" AS "caseId", COALESCE(e."name", 'default') AS "environment", MIN(r."recordedAt") AS "firstAt"
          FROM "TestResult" r JOIN "TestRun" t ON t."id" = r."runId" LEFT JOIN "Environment" e ON e."id" = t."environmentId"
         WHERE t."milestoneId" IS NOT NULL AND t."status" <> 'ABORTED'
         GROUP BY t."milestoneId", r."caseId", COALESCE(e."name", 'default')) h
 WHERE h."milestoneId" = c."milestoneId" AND h."caseId" = c."caseId" AND h."environment" = c."environment";
UPDATE "CurrentResult" SET "appearedAt" = "changedAt" WHERE "appearedAt" IS NULL;
ALTER TABLE "CurrentResult" ALTER COLUMN "appearedAt" SET NOT NULL, ALTER COLUMN "changedAt" SET NOT NULL;

-- CreateIndex
CREATE INDEX "CurrentResult_milestoneId_appearedAt_idx" ON "CurrentResult"("milestoneId", "appearedAt");

-- CreateTable
CREATE TABLE "StateChange" (
    "milestoneId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "changedAt" TIMESTAMP(3) NOT NULL,
    "fromStatus" "ResultStatus" NOT NULL,
    "fromFlaky" BOOLEAN NOT NULL,
    "appearedAt" TIMESTAMP(3) NOT NULL,
    "toStatus" "ResultStatus",
    "toFlaky" BOOLEAN,

    CONSTRAINT "StateChange_pkey" PRIMARY KEY ("milestoneId","caseId","environment","changedAt")
);

-- CreateIndex
CREATE INDEX "StateChange_milestoneId_changedAt_idx" ON "StateChange"("milestoneId", "changedAt");

-- AddForeignKey
ALTER TABLE "StateChange" ADD CONSTRAINT "StateChange_milestoneId_fkey" FOREIGN KEY ("milestoneId") REFERENCES "Milestone"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A change of a pair's status or flaky flag is logged with the state before and after it, dated with the
-- row's new changedAt (src/db/test-changes-query.ts reads them). Two in one millisecond make one row.
CREATE FUNCTION "CurrentResult_state_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "StateChange" ("milestoneId", "caseId", "environment", "changedAt", "fromStatus", "fromFlaky", "appearedAt", "toStatus", "toFlaky")
  VALUES (OLD."milestoneId", OLD."caseId", OLD."environment", NEW."changedAt", OLD."status", OLD."flaky", OLD."appearedAt", NEW."status", NEW."flaky")
  ON CONFLICT ("milestoneId", "caseId", "environment", "changedAt") DO UPDATE SET "toStatus" = excluded."toStatus", "toFlaky" = excluded."toFlaky";
  RETURN NULL;
END
$$;

CREATE TRIGGER "CurrentResult_state_change" AFTER UPDATE OF "status", "flaky" ON "CurrentResult"
FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."flaky" IS DISTINCT FROM NEW."flaky")
EXECUTE FUNCTION "CurrentResult_state_change"();
