-- AlterTable
ALTER TABLE "users" ADD COLUMN     "deletedAt" TIMESTAMP(3),
ADD COLUMN     "emailOptOut" BOOLEAN NOT NULL DEFAULT false;
