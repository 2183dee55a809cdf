/** A customer's notes (SPEC §5): HTML with light formatting, sanitised by the server. */
import type { z } from '@hono/zod-openapi';
import type { NoteSchema } from '../../server/routes/notes.ts';
import type { ClientelaClient } from './client.ts';
import type { Page } from './types.ts';

export type Note = z.infer<typeof NoteSchema>;

const base = (customerId: string) => `/customers/${encodeURIComponent(customerId)}/notes`;

export async function listNotes(client: ClientelaClient, customerId: string, signal?: AbortSignal): Promise<Note[]> {
  const { data } = await client.request<Page<Note>>('GET', base(customerId), { query: { limit: 200 }, signal });
  return data.items;
}

export async function addNote(client: ClientelaClient, customerId: string, body: string): Promise<Note> {
  const { data } = await client.request<Note>('POST', base(customerId), { body: { body } });
  return data;
}

export async function deleteNote(client: ClientelaClient, customerId: string, noteId: string): Promise<void> {
  await client.request<null>('DELETE', `${base(customerId)}/${encodeURIComponent(noteId)}`);
}
