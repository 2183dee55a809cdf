/**
 * Candidate pairs for a whole tenant, in memory, in O(n log n): the record-
 * linkage technique of blocking, so that only customers sharing something
 * are ever compared.
 *
 * - Equality blocks: the same email, phone, id number, external id or
 *   birthday. A value shared by more than MAX_BLOCK customers (a placeholder
 *   email, a default birthday) identifies no one and is skipped.
 * - Sorted neighbourhood on names: every customer is listed twice, as
 *   "given surnames" and "surnames given", the list is sorted, and each
 *   entry is paired with the next NAME_WINDOW. A typo late in a name, a
 *   dropped second surname or given name and surnames swapped (one entry's
 *   first form meets the other's second) all stay within the window.
 */
import type { DuplicateProfile } from './duplicate-score.ts';

export const MAX_BLOCK = 100;
export const NAME_WINDOW = 4;

export function candidatePairs(profiles: DuplicateProfile[]): Array<[number, number]> {
  const n = profiles.length;
  const seen = new Set<number>();
  const pairs: Array<[number, number]> = [];
  const add = (i: number, j: number) => {
    if (i === j) return;
    const [a, b] = i < j ? [i, j] : [j, i];
    const key = a * n + b;
    if (seen.has(key)) return;
    seen.add(key);
    pairs.push([a, b]);
  };

  const blocks = new Map<string, number[]>();
  const put = (key: string, i: number) => {
    const members = blocks.get(key);
    if (members) members.push(i);
    else blocks.set(key, [i]);
  };
  profiles.forEach((p, i) => {
    if (p.email) put(`e${p.email}`, i);
    for (const phone of p.phoneNumbers) put(`p${phone}`, i);
    if (p.idNumber) put(`i${p.idNumber}`, i);
    if (p.externalId) put(`x${p.externalId}`, i);
    if (p.birthday) put(`b${p.birthday}`, i);
  });
  for (const members of blocks.values()) {
    if (members.length < 2 || members.length > MAX_BLOCK) continue;
    for (let x = 0; x < members.length; x++) for (let y = x + 1; y < members.length; y++) add(members[x], members[y]);
  }

  const names: Array<[string, number]> = [];
  profiles.forEach((p, i) => {
    const given = p.given.join(' ');
    const surnames = p.surnames.join(' ');
    if (!given && !surnames) return;
    names.push([`${given} ${surnames}`.trim(), i]);
    if (given && surnames) names.push([`${surnames} ${given}`, i]);
  });
  names.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] - y[1]));
  for (let i = 0; i < names.length; i++) {
    for (let k = 1; k <= NAME_WINDOW && i + k < names.length; k++) add(names[i][1], names[i + k][1]);
  }
  return pairs;
}
