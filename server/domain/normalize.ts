/** Accent-free, case-free forms used by search and duplicate detection. */

/** "José  PÉREZ-Núñez" → "jose perez-nunez". */
export function foldText(value: string | null | undefined): string {
  return (value ?? '')
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[ææ]/g, 'ae')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export function searchName(firstName: string | null | undefined, lastName: string | null | undefined): string {
  return foldText([firstName, lastName].filter(Boolean).join(' '));
}

/** Sorted by last name, then first, the way member lists read. */
export function sortName(firstName: string | null | undefined, lastName: string | null | undefined): string {
  return foldText([lastName, firstName].filter(Boolean).join(' '));
}

export function normalizeIdNumber(value: string | null | undefined): string | null {
  if (!value) return null;
  const cleaned = value.replace(/[\s.\-_/]/g, '').toUpperCase();
  return cleaned || null;
}

export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}
