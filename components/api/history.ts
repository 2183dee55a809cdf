/** A customer's timeline (SPEC §5, History): newest first, filtered by type and dates. */
import type { z } from '@hono/zod-openapi';
import type { EVENT_TYPES } from '../../server/domain/history.ts';
import type { EventSchema } from '../../server/routes/schemas.ts';
import type { ClientelaClient } from './client.ts';
import type { Page } from './types.ts';

export type HistoryEvent = z.infer<typeof EventSchema>;
export type HistoryEventType = (typeof EVENT_TYPES)[number];

export interface HistoryFilter {
  types: readonly HistoryEventType[];
  /** `YYYY-MM-DD`, inclusive; empty: no bound. */
  from: string;
  to: string;
}

export async function listHistory(
  client: ClientelaClient,
  id: string,
  filter: HistoryFilter,
  cursor: string | null,
  limit: number,
  signal?: AbortSignal,
): Promise<Page<HistoryEvent>> {
  const response = await client.rpc.customers[':id'].history.$get(
    {
      param: { id },
      query: {
        types: filter.types.length ? filter.types.join(',') : undefined,
        from: filter.from || undefined,
        to: filter.to || undefined,
        limit: String(limit),
        cursor: cursor ?? undefined,
      },
    },
    { init: { signal } },
  );
  return response.json();
}
