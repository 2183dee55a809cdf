/**
 * JSON for comparing values: object keys sorted (jsonb hands objects back in
 * its own key order) and empty members (undefined, null, '') left out, so
 * `{city: 'Madrid', line2: ''}` equals `{city: 'Madrid'}`. No imports.
 */
export function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(([, x]) => x !== undefined && x !== null && x !== '')
            .sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}

export const sameValue = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);
