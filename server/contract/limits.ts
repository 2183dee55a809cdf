/**
 * Limits the server enforces and the components check before sending, in
 * one place for both. No imports: the browser bundle takes this file as is.
 */

/** Bounds one manual points change: large enough for any real adjustment, small enough to catch a typo of zeros. */
export const MAX_MANUAL_DELTA = 1_000_000;

/** Longest reason for a points change or a status change. */
export const MAX_REASON_LENGTH = 500;

/** Largest balance or lifetime total a customer can hold (the columns are 32-bit). */
export const MAX_POINTS = 2_147_483_647;

export const CUSTOMER_STATUSES = ['active', 'inactive', 'disabled', 'removed'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

/** Statuses whose points cannot change, by hand or by orders. */
export const POINTS_BLOCKED_STATUSES = ['disabled', 'removed'] as const satisfies readonly CustomerStatus[];

export const pointsBlocked = (status: string): boolean => (POINTS_BLOCKED_STATUSES as readonly string[]).includes(status);

/** Most customers merged into one at a time. */
export const MAX_MERGE_SOURCES = 10;

/** Largest note, in UTF-8 bytes. */
export const MAX_NOTE_BYTES = 10 * 1024;

export const MAX_TAGS = 50;
export const MAX_PHONES = 10;
