/** A customer's notes (SPEC §5): HTML with light formatting, sanitised by the server. */
import type { InferResponseType } from 'hono/client';
import type { ClientelaClient } from './client.ts';

export type Note = InferResponseType<ClientelaClient['rpc']['customers'][':id']['notes']['$post'], 201>;

export async function listNotes(client: ClientelaClient, customerId: string, signal?: AbortSignal): Promise<Note[]> {
  const response = await client.rpc.customers[':id'].notes.$get({ param: { id: customerId }, query: { limit: '200' } }, { init: { signal } });
  return (await response.json()).items;
}

export async function addNote(client: ClientelaClient, customerId: string, body: string): Promise<Note> {
  const response = await client.rpc.customers[':id'].notes.$post({ param: { id: customerId }, json: { body } });
  return response.json();
}

export async function deleteNote(client: ClientelaClient, customerId: string, noteId: string): Promise<void> {
  await client.rpc.customers[':id'].notes[':noteId'].$delete({ param: { id: customerId, noteId } });
}
