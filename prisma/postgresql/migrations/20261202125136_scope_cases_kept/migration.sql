-- CreateTable
CREATE TABLE "ScopeCase" (
    "milestoneId" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "covered" BOOLEAN NOT NULL,

    CONSTRAINT "ScopeCase_pkey" PRIMARY KEY ("milestoneId","caseId")
);

-- CreateIndex
CREATE INDEX "ScopeCase_milestoneId_covered_key_idx" ON "ScopeCase"("milestoneId", "covered", "key");

-- CreateIndex
CREATE INDEX "TestCase_projectId_critical_idx" ON "TestCase"("projectId", "critical");

-- AddForeignKey
ALTER TABLE "ScopeCase" ADD CONSTRAINT "ScopeCase_milestoneId_fkey" FOREIGN KEY ("milestoneId") REFERENCES "Milestone"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Fill the table for the milestones that already have a scope. The rules are
-- those of src/domain/scope.ts (compileScope): each pattern is trimmed of what
-- JavaScript's trim() removes and skipped when blank; one holding * or ? is a
-- glob (* any run of characters, ? one character, nothing else special) over
-- the case key or its suite; any other is an exact case key. Afterwards the
-- application keeps the rows (src/db/scope-cases.ts) and `shipgate doctor`
-- checks them against compileScope itself.
-- PostgreSQL LIKE with \ as its escape: \, % and _ are escaped, then * becomes
-- % and ? becomes _. A scope that is not a JSON array of strings contributes
-- nothing (the function below catches what the cast refuses).
CREATE FUNCTION pg_temp.shipgate_scope_patterns(scope text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY SELECT btrim(e #>> '{}', chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(32) || chr(160) || chr(5760) || chr(8192) || chr(8193) || chr(8194) || chr(8195) || chr(8196) || chr(8197) || chr(8198) || chr(8199) || chr(8200) || chr(8201) || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288) || chr(65279))
                 FROM json_array_elements(scope::json) AS e WHERE json_typeof(e) = 'string';
EXCEPTION WHEN others THEN
  RETURN;
END $$;

INSERT INTO "ScopeCase" ("milestoneId", "caseId", "key", "covered")
SELECT m."id", c."id", c."key",
       EXISTS (SELECT 1 FROM "CurrentResult" s WHERE s."milestoneId" = m."id" AND s."caseId" = c."id" AND s."status" <> 'SKIPPED')
  FROM "Milestone" m JOIN "TestCase" c ON c."projectId" = m."projectId"
 WHERE m."scope" IS NOT NULL
   AND EXISTS (
     SELECT 1 FROM (SELECT p, replace(replace(replace(replace(replace(p, '\', '\\'), '%', '\%'), '_', '\_'), '*', '%'), '?', '_') AS l
                      FROM pg_temp.shipgate_scope_patterns(m."scope") AS p) q
      WHERE q.p <> '' AND CASE WHEN strpos(q.p, '*') > 0 OR strpos(q.p, '?') > 0
                               THEN c."key" LIKE q.l ESCAPE '\' OR coalesce(c."suite" LIKE q.l ESCAPE '\', false)
                               ELSE c."key" = q.p END);

DROP FUNCTION pg_temp.shipgate_scope_patterns(text);
