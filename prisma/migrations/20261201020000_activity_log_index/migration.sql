-- The activity log (GET /api/activity) reads a facility's events newest first, keyset-paged on (at, id).
-- CreateIndex
CREATE INDEX "package_events_facilityId_at_id_idx" ON "package_events"("facilityId", "at", "id");
