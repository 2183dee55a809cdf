/**
 * Picks the singular or the plural form of a phrase by the locale's own
 * plural rules (Intl.PluralRules), so every table asks the same way.
 * The tables hold two forms (English and Spanish need no more); any category
 * but `one` takes the plural, e.g. Spanish's `many` for a round million.
 */
export function pluralFor(locale: string) {
  const rules = new Intl.PluralRules(locale);
  return (n: number, one: string, other: string) => (rules.select(n) === 'one' ? one : other);
}
