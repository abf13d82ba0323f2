-- Facility settings (src/lib/domain/facility-settings.ts): reminders every 1 to 168 hours, and a
-- pickup key that is base64url text when set (docs/sync.md "Pickup codes"). NOT VALID: rows that
-- already exist are not re-checked, every write from now on is.
ALTER TABLE "facilities" ADD CONSTRAINT "facilities_reminder_interval_range" CHECK ("reminderIntervalHours" BETWEEN 1 AND 168) NOT VALID;
ALTER TABLE "facilities" ADD CONSTRAINT "facilities_pickup_key_shape" CHECK ("pickupKey" IS NULL OR "pickupKey" ~ '^[A-Za-z0-9_-]{22,86}$') NOT VALID;
