/**
 * Notes on a customer: light HTML (bold, italic, underline, paragraphs,
 * lists, links) kept by an allow-list sanitiser; everything else is dropped
 * before the note is stored. Deleting hides a note and records who did it.
 * Notes are not fields of the customer: they leave its version (and so any
 * edit in progress elsewhere) alone.
 */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import sanitizeHtml from 'sanitize-html';
import type { Actor } from '../auth.ts';
import type { Tx } from '../db/client.ts';
import { notes, type NoteRow } from '../db/schema.ts';
import { forbidden, invalid, notFound } from '../errors.ts';
import { cursorValue, decodeCursor, pageOf } from './cursor.ts';
import { requireCustomer } from './customers.ts';
import { recordEvent } from './history.ts';


const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['b', 'strong', 'i', 'em', 'u', 'p', 'br', 'ul', 'ol', 'li', 'a'],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // A link opens nothing of ours and vouches for nothing.
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener nofollow ugc' }) },
};

export function sanitizeNote(html: string): string {
  return sanitizeHtml(html, SANITIZE).trim();
}

/** Whether sanitised HTML still says something once the tags are gone. */
function hasText(html: string): boolean {
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }).replace(/&nbsp;|\s/g, '') !== '';
}

export function serializeNote(row: NoteRow) {
  return { id: row.id, body: row.body, author: { id: row.authorId, name: row.authorName }, createdAt: row.createdAt.toISOString() };
}

/** A note's exact creation instant as text, for the cursor. */
const createdText = sql<string>`to_char(${notes.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** A live customer's notes, newest first, one keyset page. */
export async function listNotes(tx: Tx, tenantId: string, customerId: string, limit: number, cursor?: string) {
  await requireCustomer(tx, tenantId, customerId);
  const after = decodeCursor(cursor, [cursorValue.instant, cursorValue.uuid]);
  const rows = await tx
    .select({ note: notes, key: createdText })
    .from(notes)
    .where(
      and(
        eq(notes.tenantId, tenantId),
        eq(notes.customerId, customerId),
        isNull(notes.deletedAt),
        after ? sql`(${notes.createdAt}, ${notes.id}) < (${after[0]}::timestamptz, ${after[1]}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(notes.createdAt), desc(notes.id))
    .limit(limit + 1);
  return pageOf(rows, limit, (r) => serializeNote(r.note), (r) => [r.key, r.note.id]);
}

/**
 * Stores a sanitised note and its note.added event; 422 when nothing of it
 * survives sanitising. The customer's row lock keeps a note from landing on
 * a customer being erased at the same moment.
 */
export async function addNote(tx: Tx, tenantId: string, customerId: string, actor: Actor, rawBody: string) {
  await requireCustomer(tx, tenantId, customerId, { lock: true });
  const body = sanitizeNote(rawBody);
  if (!hasText(body)) throw invalid('body', 'The note is empty once unsupported content is removed.');
  const [row] = await tx.insert(notes).values({ tenantId, customerId, body, authorId: actor.id, authorName: actor.name }).returning();
  await recordEvent(tx, { tenantId, type: 'note.added', actor, customerId, data: { noteId: row.id } });
  return row;
}

/** Hides a note (its author or an admin may), recording who and when. */
export async function deleteNote(tx: Tx, tenantId: string, customerId: string, noteId: string, actor: Actor, isAdmin: boolean) {
  await requireCustomer(tx, tenantId, customerId, { lock: true });
  const [row] = await tx
    .select()
    .from(notes)
    .where(and(eq(notes.tenantId, tenantId), eq(notes.customerId, customerId), eq(notes.id, noteId), isNull(notes.deletedAt)))
    .for('update');
  if (!row) throw notFound('Note');
  if (!isAdmin && row.authorId !== actor.id) throw forbidden('Only the note’s author or an admin may delete it.');
  await tx
    .update(notes)
    .set({ deletedAt: sql`now()`, deletedBy: actor.id })
    .where(and(eq(notes.tenantId, tenantId), eq(notes.id, noteId)));
  await recordEvent(tx, { tenantId, type: 'note.deleted', actor, customerId, data: { noteId } });
}
