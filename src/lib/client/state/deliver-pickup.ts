// The Deliver screen's way to recipient pickup codes (the code and QR a recipient shows at the
// desk, checked on the device with no network). The code itself — its format, its signature with
// the facility's key, "used" after delivery — lives in domain/pickup-code.ts and db/pickup.ts.
export { normalizePickupCode, isPickupQr as isPickupPayload } from '../../domain/pickup-code';
export { checkPickupCode } from '../db/pickup';
