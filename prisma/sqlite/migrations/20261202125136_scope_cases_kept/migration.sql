-- CreateTable
CREATE TABLE "ScopeCase" (
    "milestoneId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "covered" BOOLEAN NOT NULL,

    PRIMARY KEY ("milestoneId", "caseId"),
    CONSTRAINT "ScopeCase_milestoneId_fkey" FOREIGN KEY ("milestoneId") REFERENCES "Milestone" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ScopeCase_milestoneId_covered_key_idx" ON "ScopeCase"("milestoneId", "covered", "key");

-- CreateIndex
CREATE INDEX "TestCase_projectId_critical_idx" ON "TestCase"("projectId", "critical");

-- Fill the table for the milestones that already have a scope. The rules are
-- those of src/domain/scope.ts (compileScope): each pattern is trimmed of what
-- JavaScript's trim() removes and skipped when blank; one holding * or ? is a
-- glob (* any run of characters, ? one character, nothing else special) over
-- the case key or its suite; any other is an exact case key. Afterwards the
-- application keeps the rows (src/db/scope-cases.ts) and `shipgate doctor`
-- checks them against compileScope itself.
-- SQLite GLOB: * and ? as above; [ would open a character class, so it is
-- written as [[] (a class holding only [). A scope that is not a JSON array
-- of strings contributes nothing.
INSERT INTO "ScopeCase" ("milestoneId", "caseId", "key", "covered")
SELECT m."id", c."id", c."key",
       EXISTS (SELECT 1 FROM "CurrentResult" s WHERE s."milestoneId" = m."id" AND s."caseId" = c."id" AND s."status" <> 'SKIPPED')
  FROM "Milestone" m JOIN "TestCase" c ON c."projectId" = m."projectId"
 WHERE m."scope" IS NOT NULL AND json_valid(m."scope") AND json_type(m."scope") = 'array'
   AND EXISTS (
     SELECT 1 FROM (SELECT trim(j."value", char(9, 10, 11, 12, 13, 32, 160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279)) AS p FROM json_each(m."scope") j WHERE j."type" = 'text') q
      WHERE q.p <> '' AND CASE WHEN instr(q.p, '*') > 0 OR instr(q.p, '?') > 0
                               THEN c."key" GLOB replace(q.p, '[', '[[]') OR coalesce(c."suite" GLOB replace(q.p, '[', '[[]'), 0)
                               ELSE c."key" = q.p END);
