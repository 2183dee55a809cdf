/**
 * The tenant's reference data the components show beside customers: levels,
 * custom field definitions and users. Read once per client and shared, since
 * every card and list of a page asks for the same.
 */
import type { z } from '@hono/zod-openapi';
import type { CustomFieldSchema } from '../../server/routes/custom-fields.ts';
import type { LevelSchema } from '../../server/routes/levels.ts';
import type { UserSchema } from '../../server/routes/users.ts';
import type { ClientelaClient } from './client.ts';

export type Level = z.infer<typeof LevelSchema>;
export type CustomFieldDefinition = z.infer<typeof CustomFieldSchema>;
export type User = z.infer<typeof UserSchema>;

const cache = new WeakMap<ClientelaClient, Map<string, Promise<unknown>>>();

/** One request per client and path; a failed one is forgotten so a retry asks again. */
function shared<T>(client: ClientelaClient, path: string, load: () => Promise<T>): Promise<T> {
  let entries = cache.get(client);
  if (!entries) cache.set(client, (entries = new Map()));
  let pending = entries.get(path) as Promise<T> | undefined;
  if (!pending) {
    pending = load();
    entries.set(path, pending);
    pending.catch(() => entries.delete(path));
  }
  return pending;
}

export function listLevels(client: ClientelaClient): Promise<Level[]> {
  return shared(client, '/levels', async () => {
    const { items } = await (await client.rpc.levels.$get()).json();
    return [...items].sort((a, b) => a.minPoints - b.minPoints);
  });
}

export function listCustomFields(client: ClientelaClient): Promise<CustomFieldDefinition[]> {
  return shared(client, '/custom-fields', async () => {
    const { items } = await (await client.rpc['custom-fields'].$get()).json();
    return [...items].sort((a, b) => a.position - b.position);
  });
}

export function listUsers(client: ClientelaClient): Promise<User[]> {
  return shared(client, '/users', async () => {
    const { items } = await (await client.rpc.users.$get({ query: { limit: '200' } })).json();
    return items;
  });
}
