-- CreateTable
CREATE TABLE "OwnerRule" (
    "projectId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "pattern" TEXT NOT NULL,
    "owners" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "OwnerRule_pkey" PRIMARY KEY ("projectId","position")
);

-- AddForeignKey
ALTER TABLE "OwnerRule" ADD CONSTRAINT "OwnerRule_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
