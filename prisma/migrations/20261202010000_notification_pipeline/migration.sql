-- AlterTable
ALTER TABLE "facilities" ADD COLUMN     "holdNoteInNotifications" BOOLEAN NOT NULL DEFAULT false,
ALTER COLUMN "quietHoursStart" SET DEFAULT '20:00',
ALTER COLUMN "quietHoursEnd" SET DEFAULT '07:00';

-- CreateIndex
CREATE INDEX "notifications_messageId_idx" ON "notifications"("messageId");

-- Reminders never go out at night: facilities that never chose quiet hours get the default ones
-- (until now quiet hours held nothing back, so no choice of "none" is overridden in practice).
UPDATE "facilities" SET "quietHoursStart" = '20:00', "quietHoursEnd" = '07:00' WHERE "quietHoursStart" IS NULL AND "quietHoursEnd" IS NULL;

-- The kinds as the API names them (received|held|delivered|reminder).
UPDATE "notifications" SET "kind" = substring("kind" FROM 9) WHERE "kind" IN ('package_received', 'package_held', 'package_delivered', 'package_reminder');
