-- AlterTable
ALTER TABLE "facilities" ADD COLUMN     "notifyEmailDefault" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "notifySmsDefault" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "quietHoursEnd" TEXT,
ADD COLUMN     "quietHoursStart" TEXT;

-- Quiet hours are both set ("HH:MM", 24-hour clock, start ≠ end) or both empty
-- (src/lib/domain/facility-settings.ts).
ALTER TABLE "facilities" ADD CONSTRAINT "facilities_quiet_hours_shape" CHECK (
  ("quietHoursStart" IS NULL) = ("quietHoursEnd" IS NULL)
  AND ("quietHoursStart" IS NULL OR (
    "quietHoursStart" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' AND "quietHoursEnd" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'
    AND "quietHoursStart" <> "quietHoursEnd"
  ))
);
