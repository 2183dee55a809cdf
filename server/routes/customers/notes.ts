/** /customers/:id/notes: list, add (sanitised HTML), delete (hidden, recorded). */
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth.ts';
import { MAX_NOTE_BYTES } from '../../contract/limits.ts';
import { addNote, deleteNote, listNotes, serializeNote } from '../../domain/notes.ts';
import { uuidInput } from '../../domain/ids.ts';
import { idempotent } from '../../idempotency.ts';
import { instant } from '../../contract/customer.ts';
import { ActorSchema, bearer, bodyErrors, commonErrors, errors, idempotencyKey, IdParam, jsonBody, jsonContent, locationHeader, page, PageQuery, router } from '../openapi.ts';

export const NoteSchema = z
  .object({ id: z.string().uuid(), body: z.string(), author: ActorSchema, createdAt: instant })
  .openapi('Note');

const NoteInput = z
  .strictObject({
    body: z
      .string({ message: 'Required: the note as text or light HTML.' })
      .min(1, { message: 'The note is empty.' })
      .refine((v) => v.trim() !== '', { message: 'The note is empty.' })
      .refine((v) => Buffer.byteLength(v, 'utf8') <= MAX_NOTE_BYTES, { message: `At most ${MAX_NOTE_BYTES / 1024} KB.` })
      .openapi({ pattern: '\\S', description: 'HTML: b, strong, i, em, u, p, br, ul, ol, li and http(s)/mailto links are kept; everything else is removed' }),
  })
  .openapi('NoteInput');

const NoteParams = IdParam.extend({
  noteId: uuidInput().openapi({ param: { name: 'noteId', in: 'path' } }),
});

export const noteRoutes = router()
  .openapi(
    createRoute({
      method: 'get',
      path: '/{id}/notes',
      operationId: 'listNotes',
      summary: 'The customer’s notes, newest first',
      security: bearer,
      middleware: [requirePermission('customers:read')] as const,
      request: { params: IdParam, query: z.object(PageQuery) },
      responses: { 200: jsonContent(page(NoteSchema), 'One page of notes'), ...commonErrors, ...errors(409) },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(await listNotes(c.var.db, c.var.auth.tenantId, c.req.valid('param').id, limit, cursor), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/{id}/notes',
      operationId: 'addNote',
      summary: 'Add a note; its HTML is sanitised on the server; honours Idempotency-Key',
      security: bearer,
      middleware: [requirePermission('customers:write')] as const,
      parameters: [idempotencyKey],
      request: {
        params: IdParam,
        body: jsonBody(NoteInput, { note: { summary: 'A note with light HTML', value: { body: '<p>Prefiere que la llamen <strong>por la tarde</strong>.</p>' } } }),
      },
      responses: {
        201: { ...jsonContent(NoteSchema, 'The stored note, as sanitised'), headers: locationHeader },
        ...commonErrors,
        ...bodyErrors,
        ...errors(409),
      },
    }),
    async (c) => {
      const { tenantId, user } = c.var.auth;
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      const answer = await idempotent(c, input, async (tx) => ({ status: 201, body: serializeNote(await addNote(tx, tenantId, id, user, input.body)), customerIds: [id] }));
      return c.json(answer.body, 201, { Location: `/api/v1/customers/${id}/notes/${answer.body.id}` });
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/{id}/notes/{noteId}',
      operationId: 'deleteNote',
      security: bearer,
      summary: 'Delete a note (its author or an admin): hidden, and the deletion recorded in the history',
      middleware: [requirePermission('customers:write')] as const,
      request: { params: NoteParams },
      responses: { 204: { description: 'Deleted' }, ...commonErrors, ...errors(409) },
    }),
    async (c) => {
      const { tenantId, user, isAdmin } = c.var.auth;
      const { id, noteId } = c.req.valid('param');
      await c.var.db.transaction((tx) => deleteNote(tx, tenantId, id, noteId, user, isAdmin));
      return c.body(null, 204);
    },
  );
