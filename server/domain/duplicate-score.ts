/**
 * How alike two customers are: a record-linkage score in the manner of
 * Fellegi and Sunter. Each field that both customers have adds evidence,
 * in bits: log2 of how much likelier that agreement (or disagreement) is
 * between two records of one person than between two different people.
 * Missing values add nothing. The sum maps onto 0–1 with a logistic curve.
 *
 * The weights were set from what the fields mean (an id number or email
 * is nearly unique, a postcode is shared by thousands, a birthday by one
 * in ~36,000 pairs) and checked on the Febrl 3 benchmark and a Spanish
 * test set (bench/duplicates.ts, test/fixtures/spanish-duplicates.ts).
 */
import type { Address } from '../db/schema.ts';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { nameTokens } from './name-variants.ts';
import { foldText } from './normalize.ts';
import { alikeTexts, editDistance } from './string-similarity.ts';

export const DUPLICATE_REASONS = ['externalId', 'email', 'phone', 'idNumber', 'name', 'birthday', 'address', 'city'] as const;
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number];

/** What comparison needs of a customer, folded once. */
export interface DuplicateProfile {
  id: string;
  /** Name tokens of the given name, and of the surnames. */
  given: string[];
  surnames: string[];
  email: string | null;
  phoneNumbers: string[];
  idType: string | null;
  idNumber: string | null;
  externalId: string | null;
  gender: string | null;
  birthday: string | null;
  city: string;
  postalCode: string;
  line1: string;
  line2: string;
}

export interface ProfileSource {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phoneNumbers: string[];
  idType: string | null;
  searchIdNumber: string | null;
  externalId: string | null;
  gender: string | null;
  birthday: string | null;
  city: string | null;
  address: Address | null;
}

export function profileOf(row: ProfileSource): DuplicateProfile {
  const address = row.address ?? {};
  return {
    id: row.id,
    given: nameTokens(row.firstName, null),
    surnames: nameTokens(null, row.lastName),
    email: row.email,
    phoneNumbers: row.phoneNumbers,
    idType: row.idType,
    idNumber: row.searchIdNumber,
    externalId: row.externalId,
    gender: row.gender,
    birthday: row.birthday,
    city: foldText(address.city || row.city),
    postalCode: (address.postalCode ?? '').replace(/\s/g, '').toUpperCase(),
    line1: foldText(address.line1),
    line2: foldText(address.line2),
  };
}

export interface Comparison {
  /** 0–1: how likely the two are one person. */
  score: number;
  reasons: DuplicateReason[];
  /** The evidence in bits, before the logistic map. */
  weight: number;
}

/** A weight above this makes a field a reason; below it the field is not worth showing. */
const REASON_BITS = 2.5;
/** The logistic map: weight MIDPOINT_BITS is a score of 0.5; SLOPE_BITS more doubles the odds. */
const MIDPOINT_BITS = 10.75;
const SLOPE_BITS = 2.5;
/** Under a conflict, what a household shares adds at most this much. */
const HOUSEHOLD_CAP_BITS = 6;

export function compareProfiles(a: DuplicateProfile, b: DuplicateProfile): Comparison {
  const name = compareNames(a, b);
  const birthday = compareBirthdays(a.birthday, b.birthday);
  const idNumber = compareIdNumbers(a, b);
  const gender = a.gender && b.gender && a.gender !== b.gender ? -6 : 0;
  const phones = comparePhones(a.phoneNumbers, b.phoneNumbers);
  // What one person has and a relative does not share.
  const personal: Evidence = [
    ['externalId', compareExact(a.externalId, b.externalId, 20, -3)],
    ['phone', phones.mobile],
    ['idNumber', idNumber],
    ['name', name.weight],
    [null, gender],
    ['birthday', birthday],
  ];
  // What a household shares: a landline, an address, sometimes an email.
  const household: Evidence = [
    ['email', compareEmails(a.email, b.email)],
    ['phone', phones.landline],
    ['address', compareAddresses(a, b)],
    ['city', compareTexts(a.city, b.city, 3, -2.5)],
  ];
  // Another given name, sex, birthday or id number says "another person":
  // then shared household details only say "a relative", and count little.
  const conflict = name.givenConflict || gender < 0 || birthday < 0 || idNumber < 0;
  const householdBits = household.reduce((sum, [, bits]) => sum + bits, 0);
  const scale = conflict && householdBits > HOUSEHOLD_CAP_BITS ? HOUSEHOLD_CAP_BITS / householdBits : 1;
  let weight = 0;
  const reasons = new Set<DuplicateReason>();
  for (const [reason, raw] of [...personal, ...household.map(([r, bits]): Evidence[number] => [r, bits > 0 ? bits * scale : bits])]) {
    weight += raw;
    if (reason && raw >= REASON_BITS) reasons.add(reason);
  }
  const score = 1 / (1 + 2 ** (-(weight - MIDPOINT_BITS) / SLOPE_BITS));
  return { score: Math.round(score * 1000) / 1000, reasons: DUPLICATE_REASONS.filter((r) => reasons.has(r)), weight };
}

type Evidence = Array<[DuplicateReason | null, number]>;

function compareExact(a: string | null, b: string | null, agree: number, disagree: number): number {
  if (!a || !b) return 0;
  return a === b ? agree : disagree;
}

function compareEmails(a: string | null, b: string | null): number {
  if (!a || !b) return 0;
  if (a === b) return 18;
  const [localA, domainA] = a.split('@');
  const [localB, domainB] = b.split('@');
  // The same mailbox name at another provider: often one person, sometimes a namesake.
  if (localA.length >= 6 && localA === localB && domainA !== domainB) return 3;
  return -1;
}

/** A shared mobile is one person's; a shared landline may be a household's. */
function comparePhones(a: string[], b: string[]): { mobile: number; landline: number } {
  if (!a.length || !b.length) return { mobile: 0, landline: 0 };
  const shared = a.filter((p) => b.includes(p));
  if (!shared.length) return { mobile: 0, landline: -1.5 };
  return shared.some((p) => !isLandline(p)) ? { mobile: 14, landline: 0 } : { mobile: 0, landline: 10 };
}

const landlines = new Map<string, boolean>();
function isLandline(e164: string): boolean {
  let known = landlines.get(e164);
  if (known === undefined) {
    known = parsePhoneNumberFromString(e164)?.getType() === 'FIXED_LINE';
    if (landlines.size > 100_000) landlines.clear();
    landlines.set(e164, known);
  }
  return known;
}

function compareIdNumbers(a: DuplicateProfile, b: DuplicateProfile): number {
  if (!a.idNumber || !b.idNumber) return 0;
  if (a.idType && b.idType && a.idType !== b.idType) return 0;
  if (a.idNumber === b.idNumber) return 18;
  if (a.idNumber.length >= 6 && editDistance(a.idNumber, b.idNumber, 1) === 1) return 9;
  return -4;
}

function compareBirthdays(a: string | null, b: string | null): number {
  if (!a || !b) return 0;
  if (a === b) return 13;
  const [ya, ma, da] = a.split('-');
  const [yb, mb, db] = b.split('-');
  // Day and month swapped (US order), or one mistyped digit or swap of two.
  if (ya === yb && ma === db && da === mb) return 6;
  if (editDistance(a, b, 1) === 1) return 6;
  return -5;
}

function compareTexts(a: string, b: string, agree: number, disagree: number): number {
  if (!a || !b) return 0;
  return alikeTexts(a, b) ? agree : disagree;
}

/** Street lines alike, and with the same house number when both give one. */
function compareStreets(a: string, b: string): number {
  if (!a || !b) return 0;
  const numberA = a.match(/\d+/g)?.join(' ');
  const numberB = b.match(/\d+/g)?.join(' ');
  if (numberA && numberB && numberA !== numberB) return -1.5;
  return alikeTexts(a, b) ? 7 : -1.5;
}

function compareAddresses(a: DuplicateProfile, b: DuplicateProfile): number {
  return (
    compareExact(a.postalCode || null, b.postalCode || null, 6, -1.5) +
    compareStreets(a.line1, b.line1) +
    compareTexts(a.line2, b.line2, 3, 0)
  );
}

/**
 * Whether two name tokens are the same name: equal, an initial of it, or
 * one typo apart (two in long names). Spanish given names that differ in
 * their final a/o, or by a final a, are different names (Mario, María;
 * Juan, Juana), not typos.
 */
function tokenMatch(a: string, b: string): number {
  if (a === b) return 1;
  if ((a.length === 1 && b.startsWith(a)) || (b.length === 1 && a.startsWith(b))) return 0.9;
  if (a.length < 3 || b.length < 3) return 0;
  const [x, y] = a.length <= b.length ? [a, b] : [b, a];
  if (y === x + 'a' || (x.length === y.length && x.slice(0, -1) === y.slice(0, -1) && /[ao]/.test(x.at(-1)!) && /[ao]/.test(y.at(-1)!))) return 0;
  const allowed = y.length >= 8 ? 2 : 1;
  const distance = editDistance(a, b, allowed);
  return distance <= allowed ? 1 - distance / y.length : 0;
}

function anyMatch(a: string[], b: string[]): boolean {
  return a.some((x) => b.some((y) => tokenMatch(x, y) > 0));
}

export interface NameComparison {
  weight: number;
  /** Both have a given name, and they are different names. */
  givenConflict: boolean;
}

interface TokenMatch {
  matched: number;
  /** Tokens of the shorter side, which could all match. */
  comparable: number;
  /** Tokens of the longer side left over (a dropped second surname). */
  extra: number;
  exact: boolean;
}

/** Pairs the tokens of two bags, best pairs first, each token at most once. */
function matchTokens(a: string[], b: string[]): TokenMatch {
  const x = joinSplit(a, b);
  const y = joinSplit(b, a);
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  const pairs: Array<[number, number, number]> = [];
  for (let i = 0; i < short.length; i++) {
    for (let j = 0; j < long.length; j++) {
      const sim = tokenMatch(short[i], long[j]);
      if (sim > 0) pairs.push([sim, i, j]);
    }
  }
  pairs.sort((m, n) => n[0] - m[0]);
  const usedShort = new Set<number>();
  const usedLong = new Set<number>();
  let exact = true;
  for (const [sim, i, j] of pairs) {
    if (usedShort.has(i) || usedLong.has(j)) continue;
    usedShort.add(i);
    usedLong.add(j);
    if (sim < 1) exact = false;
  }
  return { matched: usedShort.size, comparable: short.length, extra: long.length - short.length, exact };
}

function plus(m: TokenMatch, n: TokenMatch): TokenMatch {
  return { matched: m.matched + n.matched, comparable: m.comparable + n.comparable, extra: m.extra + n.extra, exact: m.exact && n.exact };
}

function nameWeight({ matched, comparable: s, extra, exact }: TokenMatch): number {
  if (s === 0) return 0;
  // A given name and two surnames tell people apart far better than a given name and one.
  if (matched === s) return (s >= 3 ? (exact ? 13 : 11) : s === 2 ? (exact ? 9 : 8) : extra === 0 ? 3 : 2) - extra;
  if (matched === 0) return s >= 2 ? -9 : -5;
  return s >= 3 && matched >= 2 ? 0 : -3;
}

/**
 * Given names are compared with given names and surnames with surnames, or
 * all crosswise when one record has them swapped; a record that put the
 * whole name in one field is compared as one bag of tokens. Word order
 * inside a field does not matter, and a dropped second surname costs little.
 */
export function compareNames(p: Pick<DuplicateProfile, 'given' | 'surnames'>, q: Pick<DuplicateProfile, 'given' | 'surnames'>): NameComparison {
  const swapped = anyMatch(p.given, q.surnames) && anyMatch(q.given, p.surnames);
  const givenConflict = p.given.length > 0 && q.given.length > 0 && !anyMatch(p.given, q.given) && !swapped;
  if (p.given.length && p.surnames.length && q.given.length && q.surnames.length) {
    const aligned = nameWeight(plus(matchTokens(p.given, q.given), matchTokens(p.surnames, q.surnames)));
    const crossed = nameWeight(plus(matchTokens(p.given, q.surnames), matchTokens(p.surnames, q.given)));
    return { weight: Math.max(aligned, crossed), givenConflict };
  }
  return { weight: nameWeight(matchTokens([...p.given, ...p.surnames], [...q.given, ...q.surnames])), givenConflict };
}

/** "juancarlos" against "juan carlos": joins the pair of tokens that spells the other side's token. */
function joinSplit(tokens: string[], other: string[]): string[] {
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (other.includes(tokens[i] + tokens[i + 1])) {
      return [...tokens.slice(0, i), tokens[i] + tokens[i + 1], ...tokens.slice(i + 2)];
    }
  }
  return tokens;
}
