import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sanitizeNote } from '../../server/domain/notes.ts';
import { newTenant, tokenFor, call, useTestApp } from './helpers.ts';

const ctx = useTestApp();

async function customerOf(api: Awaited<ReturnType<typeof newTenant>>['api']) {
  const res = await api('POST', '/customers', { body: { firstName: 'Ana' } });
  assert.equal(res.status, 201);
  return res.body.id as string;
}

/** Payloads that must come back unable to run anything. */
const HOSTILE = [
  '<script>alert(1)</script>Hola',
  '<img src=x onerror="alert(1)">',
  '<p onclick="alert(1)" style="color:red">clic</p>',
  '<a href="javascript:alert(1)">enlace</a>',
  '<a href="JaVaScRiPt&colon;alert(1)">enlace</a>',
  '<a href=" java\nscript:alert(1)">enlace</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">datos</a>',
  '<a href="vbscript:msgbox(1)">vb</a>',
  '<a href="//evil.example/x">relativo</a>',
  '<svg><script>alert(1)</script></svg>',
  '<iframe src="https://evil.example"></iframe>texto',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<form action="https://evil.example"><input name=x><button>ok</button></form>',
  '<style>body{display:none}</style>estilo',
  '<object data="x.swf"></object><embed src="x.swf">',
  '<b onmouseover=alert(1)>negrita</b>',
  '<meta http-equiv="refresh" content="0;url=https://evil.example">',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<a href="https://ok.example" target="_blank" onfocus="alert(1)" autofocus>ok</a>',
];

function assertInert(html: string) {
  assert.doesNotMatch(html, /<\s*(script|img|svg|iframe|style|object|embed|form|input|meta|math|button|noscript)/i, html);
  assert.doesNotMatch(html, /\son\w+\s*=/i, html);
  assert.doesNotMatch(html, /(javascript|vbscript|data):/i, html);
  assert.doesNotMatch(html, /href="\/\//i, html);
  assert.doesNotMatch(html, /style=|target=|autofocus/i, html);
  for (const [, attrs] of html.matchAll(/<a\b([^>]*)>/g)) assert.match(attrs, /rel="noopener nofollow ugc"/, html);
}

describe('notes', () => {
  it('keeps light formatting and safe links', () => {
    const html = '<p><strong>Importante</strong>: <em>llamar</em> <u>hoy</u><br></p><ul><li>uno</li></ul><ol><li>dos</li></ol><a href="https://example.com/a?b=1">web</a> <a href="mailto:ana@example.com">correo</a>';
    assert.equal(
      sanitizeNote(html),
      '<p><strong>Importante</strong>: <em>llamar</em> <u>hoy</u><br /></p><ul><li>uno</li></ul><ol><li>dos</li></ol><a href="https://example.com/a?b=1" rel="noopener nofollow ugc">web</a> <a href="mailto:ana@example.com" rel="noopener nofollow ugc">correo</a>',
    );
  });

  it('makes hostile HTML inert, through the API as stored and listed', async () => {
    const { api } = await newTenant(ctx);
    const id = await customerOf(api);
    for (const payload of HOSTILE) {
      const res = await api('POST', `/customers/${id}/notes`, { body: { body: `inicio ${payload}` } });
      assert.equal(res.status, 201, `${payload}: ${JSON.stringify(res.body)}`);
      assertInert(res.body.body);
    }
    const listed = await api('GET', `/customers/${id}/notes?limit=200`);
    assert.equal(listed.body.items.length, HOSTILE.length);
    for (const note of listed.body.items) assertInert(note.body);
    assert.equal(listed.body.items.find((n: any) => n.body.includes('negrita')).body, 'inicio <b>negrita</b>');
  });

  it('answers notes as {id, body, author, createdAt}, newest first, page by page', async () => {
    const { api } = await newTenant(ctx, { sub: 'agent-9', name: 'Carlos' });
    const id = await customerOf(api);
    for (let i = 1; i <= 5; i++) assert.equal((await api('POST', `/customers/${id}/notes`, { body: { body: `<p>nota ${i}</p>` } })).status, 201);
    const first = await api('GET', `/customers/${id}/notes?limit=2`);
    assert.deepEqual(Object.keys(first.body.items[0]).sort(), ['author', 'body', 'createdAt', 'id']);
    assert.deepEqual(first.body.items[0].author, { id: 'agent-9', name: 'Carlos' });
    const bodies: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await api('GET', `/customers/${id}/notes?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      bodies.push(...page.body.items.map((n: any) => n.body));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(bodies, [5, 4, 3, 2, 1].map((i) => `<p>nota ${i}</p>`));
    const events = await api('GET', `/customers/${id}/history?types=note.added`);
    assert.equal(events.body.items.length, 5);
  });

  it('answers 422 for an empty, oversized, malformed or script-only note, and stores nothing', async () => {
    const { api } = await newTenant(ctx);
    const id = await customerOf(api);
    const cases: unknown[] = [{}, { body: '' }, { body: '   ' }, { body: 42 }, { body: '<script>alert(1)</script>' }, { body: 'x'.repeat(10 * 1024 + 1) }, { body: 'hola', pinned: true }];
    for (const body of cases) {
      const res = await api('POST', `/customers/${id}/notes`, { body });
      assert.equal(res.status, 422, JSON.stringify(body).slice(0, 80));
      assert.ok(res.body.error.details.some((d: any) => d.path === 'body' || d.path === 'pinned'));
    }
    assert.equal((await api('GET', `/customers/${id}/notes`)).body.items.length, 0);
    assert.equal((await api('POST', `/customers/${id}/notes`, { body: { body: 'ñ'.repeat(5 * 1024) } })).status, 201, '10 KB of two-byte letters fit');
  });

  it('deletes a note by its author or an admin, records note.deleted, and hides it', async () => {
    const admin = await newTenant(ctx, { sub: 'boss' });
    const tenantId = admin.tenantId;
    const id = await customerOf(admin.api);
    const agentToken = await tokenFor({ tenantId, sub: 'agent-1', name: 'Agente', role: 'agent', perms: ['customers:read', 'customers:write'] });
    const otherToken = await tokenFor({ tenantId, sub: 'agent-2', name: 'Otro', role: 'agent', perms: ['customers:read', 'customers:write'] });
    const agent = (method: string, path: string, body?: unknown, token = agentToken) => call(ctx.app, method, `/api/v1${path}`, { token, body });

    const mine = await agent('POST', `/customers/${id}/notes`, { body: 'mía' });
    const bosses = await admin.api('POST', `/customers/${id}/notes`, { body: { body: 'del jefe' } });
    assert.equal((await agent('DELETE', `/customers/${id}/notes/${bosses.body.id}`)).status, 403);
    assert.equal((await agent('DELETE', `/customers/${id}/notes/${mine.body.id}`, undefined, otherToken)).status, 403);
    assert.equal((await agent('DELETE', `/customers/${id}/notes/${mine.body.id}`)).status, 204);
    assert.equal((await agent('DELETE', `/customers/${id}/notes/${mine.body.id}`)).status, 404, 'already deleted');
    assert.equal((await admin.api('DELETE', `/customers/${id}/notes/${bosses.body.id}`)).status, 204);
    assert.equal((await admin.api('GET', `/customers/${id}/notes`)).body.items.length, 0);
    const deleted = await admin.api('GET', `/customers/${id}/history?types=note.deleted`);
    assert.deepEqual(deleted.body.items.map((e: any) => [e.actor.id, e.data.noteId]), [
      ['boss', bosses.body.id],
      ['agent-1', mine.body.id],
    ]);
  });

  it('answers 401, 403, and 404 for another tenant’s customer or note', async () => {
    const a = await newTenant(ctx);
    const b = await newTenant(ctx);
    const id = await customerOf(a.api);
    const note = await a.api('POST', `/customers/${id}/notes`, { body: { body: 'hola' } });
    assert.equal((await a.api('GET', `/customers/${id}/notes`, { token: null })).status, 401);
    const reader = await newTenant(ctx, { tenantId: a.tenantId, role: 'agent', perms: ['customers:read'] });
    assert.equal((await reader.api('GET', `/customers/${id}/notes`)).status, 200);
    assert.equal((await reader.api('POST', `/customers/${id}/notes`, { body: { body: 'x' } })).status, 403);
    assert.equal((await reader.api('DELETE', `/customers/${id}/notes/${note.body.id}`)).status, 403);
    assert.equal((await b.api('GET', `/customers/${id}/notes`)).status, 404);
    assert.equal((await b.api('POST', `/customers/${id}/notes`, { body: { body: 'x' } })).status, 404);
    assert.equal((await b.api('DELETE', `/customers/${id}/notes/${note.body.id}`)).status, 404);
    const otherCustomer = await customerOf(a.api);
    assert.equal((await a.api('DELETE', `/customers/${otherCustomer}/notes/${note.body.id}`)).status, 404, 'a note of another customer');
  });
});
