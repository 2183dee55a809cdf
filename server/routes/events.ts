/**
 * GET /events: the tenant's changes as Server-Sent Events, live from the
 * process's hub, with a replay of what a reconnecting client missed.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { requirePermission } from '../auth.ts';
import type { Announcement } from '../domain/history.ts';
import { latestPosition, replaySince, type Replay } from '../events/replay.ts';
import { DEFAULT_EVENT_OPTIONS as DEFAULTS, type Subscription } from '../events/hub.ts';
import { bearer, commonErrors, errors, router } from './openapi.ts';

const RETRY_MS = 2000;
/** setTimeout's ceiling; a later expiry is re-checked when it fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const EventId = z.string().regex(/^\d{1,15}$/, { message: 'Must be an event id (a non-negative integer).' });

const description = `A \`text/event-stream\` of the tenant's changes. Every change is an event
\`change\` with \`id\` (its position among the tenant's own events, increasing) and data \`{"type", "customerId", "version", "at"}\`.

- \`ready\` comes first; on a fresh connection its \`id\` is the current position.
- Reconnecting with \`Last-Event-ID\` (the header \`EventSource\` sends by itself, or \`?lastEventId=\`) replays
  the changes after it from the history, at most ${DEFAULTS.replayLimit} and ${DEFAULTS.replayWindowMs / 3_600_000} hours. Beyond that window, or for an unknown id, comes \`reset\`
  (data \`{"reason"}\`): reload everything, then carry on.
- \`expired\` comes just before the server closes the stream when the token expires: reconnect with a fresh one.
- A comment line every ${DEFAULTS.heartbeatMs / 1000} s keeps the connection alive. A client that does not keep up is disconnected.

\`EventSource\` cannot send headers, so the token may come as \`?access_token=\` on this path only.
At most ${DEFAULTS.maxStreamsPerUser} open streams per user and ${DEFAULTS.maxStreamsPerTenant} per tenant, per server instance (429 beyond): share one connection per page.`;

export const eventRoutes = router().openapi(
  createRoute({
    method: 'get',
    path: '/',
    operationId: 'streamEvents',
    summary: 'Live changes of the tenant as Server-Sent Events',
    security: bearer,
    description,
    middleware: [requirePermission('customers:read')] as const,
    request: {
      query: z.object({
        access_token: z.string().optional().openapi({ description: 'The bearer token, for EventSource (this path only)' }),
        lastEventId: EventId.optional().openapi({ description: 'Resume after this event id (the Last-Event-ID header wins)' }),
      }),
      headers: z.object({
        'last-event-id': EventId.optional().openapi({ description: 'Sent by EventSource when it reconnects' }),
      }),
    },
    responses: {
      200: {
        description: 'The event stream',
        content: { 'text/event-stream': { schema: z.string().openapi({ example: 'event: change\nid: 1042\ndata: {"type":"points.changed","customerId":"…","version":7,"at":"…"}\n\n' }) } },
      },
      ...commonErrors,
    },
  }),
  async (c) => {
    const { tenantId, user, exp } = c.var.auth;
    const hub = c.var.events;
    const resumeFrom = c.req.valid('header')['last-event-id'] ?? c.req.valid('query').lastEventId;

    const subscription = await hub.subscribe(tenantId, user.id);
    let start: Replay | { kind: 'fresh'; position: number };
    try {
      // Subscribed first, read second: nothing committed in between is lost.
      start = resumeFrom === undefined
        ? { kind: 'fresh', position: await latestPosition(c.var.db, tenantId) }
        : await replaySince(c.var.db, tenantId, Number(resumeFrom), hub.options);
    } catch (err) {
      subscription.end('client_closed');
      throw err;
    }

    // Proxies such as nginx would otherwise hold the events back in a buffer.
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      stream.onAbort(() => subscription.end('client_closed'));
      // A dropped consumer may be stuck in a write: aborting unblocks it.
      subscription.onEnd((reason) => reason === 'too_slow' && stream.abort());
      const expiry = endAtExpiry(subscription, exp);
      try {
        const replayed = await greet(stream, start);
        await pump(stream, subscription, replayed, hub.options.heartbeatMs);
      } finally {
        clearTimeout(expiry.timer);
        subscription.end('client_closed');
      }
    });
  },
);

/** Writes the opening events; answers the ids replayed, so live copies are skipped. */
async function greet(stream: SSEStreamingApi, start: Replay | { kind: 'fresh'; position: number }): Promise<Set<number>> {
  const replayed = new Set<number>();
  let text = '';
  if (start.kind === 'fresh') {
    text = frame('ready', {}, start.position);
  } else if (start.kind === 'reset') {
    text = frame('reset', { reason: start.reason }, start.position) + frame('ready', {});
  } else {
    for (const event of start.events) replayed.add(event.seq);
    text = start.events.map(changeFrame).join('') + frame('ready', {});
  }
  await stream.write(`retry: ${RETRY_MS}\n\n${text}`);
  return replayed;
}

async function pump(stream: SSEStreamingApi, subscription: Subscription, replayed: Set<number>, heartbeatMs: number) {
  for (;;) {
    const delivery = await subscription.next(heartbeatMs);
    if (delivery.kind === 'ended') {
      if (delivery.reason === 'token_expired') await stream.write(frame('expired', { reason: 'token_expired' }));
      return;
    }
    if (delivery.kind === 'idle') {
      await stream.write(': heartbeat\n\n');
      continue;
    }
    const fresh = replayed.size ? delivery.events.filter((e) => !replayed.delete(e.seq)) : delivery.events;
    if (fresh.length) await stream.write(fresh.map(changeFrame).join(''));
  }
}

function endAtExpiry(subscription: Subscription, exp: number): { timer: ReturnType<typeof setTimeout> } {
  const handle = { timer: undefined as unknown as ReturnType<typeof setTimeout> };
  const check = () => {
    const left = exp * 1000 - Date.now();
    if (left <= 0) subscription.end('token_expired');
    else handle.timer = setTimeout(check, Math.min(left, MAX_TIMER_MS));
  };
  check();
  return handle;
}

function changeFrame(event: Announcement): string {
  const { type, customerId, version, at } = event;
  return frame('change', { type, customerId, version, at }, event.seq);
}

function frame(event: string, data: unknown, id?: number): string {
  return `event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`;
}
