-- AlterTable: when an admin last saved the facility's settings (the setup checklist reads it).
ALTER TABLE "facilities" ADD COLUMN     "settingsReviewedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" UUID NOT NULL,
    "facilityId" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "subjectType" TEXT NOT NULL,
    "subjectId" UUID,
    "data" JSONB NOT NULL DEFAULT '{}',
    "actorId" UUID,
    "clientId" UUID,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_events_facilityId_at_id_idx" ON "audit_events"("facilityId", "at", "id");

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "facilities"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Facility-owned: the app role sees and writes only the active facility's rows. Append-only for
-- the app: it adds entries and reads them, never changes or removes one (a facility's deletion
-- still cascades, as the table owner).
ALTER TABLE "audit_events" ENABLE ROW LEVEL SECURITY;
CREATE POLICY facility_isolation ON "audit_events" TO ptp_app
  USING ("facilityId" = app_facility_id()) WITH CHECK ("facilityId" = app_facility_id());
REVOKE ALL ON "audit_events" FROM ptp_app;
GRANT SELECT, INSERT ON "audit_events" TO ptp_app;
