-- CreateTable
CREATE TABLE "LivingMessage" (
    "id" TEXT NOT NULL,
    "milestoneId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "ts" TEXT,
    "verdict" TEXT,
    "postingBy" TEXT,
    "postingUntil" TIMESTAMP(3),
    "lastReplyAt" TIMESTAMP(3),
    "readyToldAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LivingMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChannelSetting" (
    "workspaceId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "threads" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChannelSetting_pkey" PRIMARY KEY ("workspaceId","channelId")
);

-- CreateIndex
CREATE UNIQUE INDEX "LivingMessage_milestoneId_channel_day_key" ON "LivingMessage"("milestoneId", "channel", "day");
