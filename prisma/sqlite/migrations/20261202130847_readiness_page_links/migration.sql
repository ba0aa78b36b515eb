-- The readiness page's link secret and the public badge switch, added in place
-- (not by redefining Project, which would copy the table without the columns a
-- previous migration added in place, and whose DROP would cascade to every
-- table that references Project).
ALTER TABLE "Project" ADD COLUMN "linkSecret" TEXT;
ALTER TABLE "Project" ADD COLUMN "badgeEnabled" BOOLEAN NOT NULL DEFAULT false;
