/**
 * A customer's ETag is its version in quotes; If-Match names the version a
 * client last read. No imports, so the components use the same two functions.
 */

export const etagOf = (record: { version: number }): string => `"${record.version}"`;

/** The version an If-Match header names: null when absent, -1 when it names none (so it never matches). */
export function versionFromIfMatch(header: string | undefined): number | null {
  if (header === undefined) return null;
  const match = /^\s*(?:W\/)?"?(\d{1,10})"?\s*$/.exec(header);
  return match ? Number(match[1]) : -1;
}
