-- AlterTable
ALTER TABLE "facilities" ADD COLUMN     "aiEnabled" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "ai_requests" (
    "id" UUID NOT NULL,
    "facilityId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "feature" TEXT NOT NULL,
    "requestShape" JSONB NOT NULL DEFAULT '{}',
    "outcome" TEXT NOT NULL,
    "latencyMs" INTEGER,

    CONSTRAINT "ai_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ai_requests_facilityId_at_idx" ON "ai_requests"("facilityId", "at");

-- AddForeignKey
ALTER TABLE "ai_requests" ADD CONSTRAINT "ai_requests_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "facilities"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Facility-owned: the app role sees and writes only the active facility's rows. It adds a call
-- and records its outcome (an UPDATE of the same row), never removes one (a facility's deletion
-- still cascades, as the table owner).
ALTER TABLE "ai_requests" ENABLE ROW LEVEL SECURITY;
CREATE POLICY facility_isolation ON "ai_requests" TO ptp_app
  USING ("facilityId" = app_facility_id()) WITH CHECK ("facilityId" = app_facility_id());
REVOKE ALL ON "ai_requests" FROM ptp_app;
GRANT SELECT, INSERT, UPDATE ON "ai_requests" TO ptp_app;
