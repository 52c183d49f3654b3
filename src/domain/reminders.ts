import { EXPIRING_SOON_DAYS } from './subscription.js';

/**
 * Days before expiry at which a subscription's customer hears about it. The first is the start of
 * "expiring soon", so the reminder and the portal's filter agree.
 */
export const REMINDER_DAYS = [EXPIRING_SOON_DAYS, 7, 1] as const;
