-- CreateTable
CREATE TABLE "LivingMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "milestoneId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "ts" TEXT,
    "verdict" TEXT,
    "postingBy" TEXT,
    "postingUntil" DATETIME,
    "lastReplyAt" DATETIME,
    "readyToldAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ChannelSetting" (
    "workspaceId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "threads" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("workspaceId", "channelId")
);

-- CreateIndex
CREATE UNIQUE INDEX "LivingMessage_milestoneId_channel_day_key" ON "LivingMessage"("milestoneId", "channel", "day");
