-- Photo retention (docs/photo-retention.md): when the retention job deleted an attachment's photo.
-- The row is soft-deleted in the same step so devices pull a tombstone; attachments already has
-- row-level security and the app role's grants, so nothing else changes.
ALTER TABLE "attachments" ADD COLUMN     "expiredAt" TIMESTAMP(3);

-- The job's daily scan of a facility's photos by age.
CREATE INDEX "attachments_facilityId_kind_createdAt_idx" ON "attachments"("facilityId", "kind", "createdAt");
