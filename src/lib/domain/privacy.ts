// What the app's privacy page (/privacy) says about keeping data: section 6 of the published
// privacy policy (../shared/product/privacy-policy.txt) word for word, and what the product adds
// to it without contradicting it. tests/server/privacy-policy.test.ts holds these sentences to the
// published text and to what the running system does.
import { DEFAULT_PHOTO_RETENTION_DAYS, PHOTO_RETENTION_DAYS } from './photo-retention';

/** Section 6 "Data Retention", as published. */
export const DATA_RETENTION_POLICY = [
  'Active accounts: Your data is retained for as long as your subscription is active.',
  'After cancellation: Your data remains accessible in read-only mode for 30 days, then is permanently deleted.',
  'Trial expiration: If you do not subscribe after the 10-day free trial, your data enters a 30-day read-only grace period, followed by permanent deletion at day 40.',
  `Photos: Automatically deleted according to your facility's retention policy (default: ${DEFAULT_PHOTO_RETENTION_DAYS} days, configurable from ${PHOTO_RETENTION_DAYS.min} to ${PHOTO_RETENTION_DAYS.max} days). Photos are also deleted when the associated package record is removed, or upon account deletion.`,
] as const;

/** How the product keeps the photo promise, and what it keeps longer and why. */
export const PHOTOS_AND_SIGNATURES = [
  `Intake and delivery photos are deleted from storage once your facility's retention period has passed since they were taken (counted in whole days, ${DEFAULT_PHOTO_RETENTION_DAYS} unless an admin sets between ${PHOTO_RETENTION_DAYS.min} and ${PHOTO_RETENTION_DAYS.max}); a photo taken offline counts from when it was taken, not from when it synced. Shortening the period applies within the day, and devices remove their copies on their next sync.`,
  'Signatures are not photos: a signature is the proof of delivery and is kept with its package record for as long as the facility exists, longer than the photo retention period. It is deleted with its package record, or with the facility.',
  'When a member deletes their account, the photos and signatures they captured stay with the facility\'s package records under the same rules, and nothing links them to the person any more: the custody log names them only as "Former member", and photos are stored without their camera metadata (no location, no device details).',
] as const;
