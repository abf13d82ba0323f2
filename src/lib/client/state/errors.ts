// The UI's one error funnel for local actions (style.md habit 10): what a person reads when a
// change could not be made on this device.
import { MutationRejection } from '../../domain/sync/mutators';
import { DeviceOwnedError, StorageFullError } from '../db/outbox';
import { NotAnImageError } from '../media/compress-photo';

export function userMessage(e: unknown): string {
  if (e instanceof MutationRejection || e instanceof StorageFullError || e instanceof DeviceOwnedError || e instanceof NotAnImageError)
    return e.message;
  console.error('[action]', e);
  return `Could not save the change: ${e instanceof Error ? e.message : String(e)}`;
}
