-- Stripe billing (issue 11, docs/billing.md): one Stripe customer per organization, one
-- subscription per facility, and the webhook events already applied.
-- AlterTable
ALTER TABLE "organizations" ADD COLUMN     "stripeCustomerId" TEXT;

-- AlterTable
ALTER TABLE "subscriptions" ADD COLUMN     "cancelAtPeriodEnd" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "pastDueSince" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "stripe_events" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "facilityId" UUID,
    "appliedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stripe_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "organizations_stripeCustomerId_key" ON "organizations"("stripeCustomerId");

-- CreateIndex
CREATE UNIQUE INDEX "subscriptions_stripeSubscriptionId_key" ON "subscriptions"("stripeSubscriptionId");

-- Not facility-owned (the webhook has no session and some events name no facility), so no
-- row-level security, like rate_limits. The app records and reads events, never edits one; a
-- facility's deletion may remove the rows naming it.
REVOKE ALL ON "stripe_events" FROM ptp_app;
GRANT SELECT, INSERT, DELETE ON "stripe_events" TO ptp_app;
