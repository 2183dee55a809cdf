/** The points ledger as a table, newest first, with its "load more" end. */
import { html, nothing } from 'lit';
import type { LedgerEntry } from '../api/points.ts';
import type { Formatter } from '../i18n/i18n-controller.ts';
import { renderEmpty, renderError, renderLoading } from '../shared/async-state.ts';
import { kindLabel, renderTime, signed } from '../shared/formatting.ts';
import type { PagedQuery } from '../shared/paged-query.ts';

function describe(entry: LedgerEntry, format: Formatter) {
  const t = format.t.points;
  const parts = [
    entry.reason,
    entry.orderExternalId && !entry.reason?.includes(entry.orderExternalId) ? t.order(entry.orderExternalId) : null,
    entry.kind === 'merge' && !entry.reason ? (entry.delta < 0 ? t.mergedOut : t.mergedIn) : null,
    entry.sourceCustomerNumber !== null && entry.sourceCustomerNumber !== undefined ? t.fromCustomer(String(entry.sourceCustomerNumber)) : null,
  ].filter(Boolean);
  return parts.join(' · ');
}

function renderEntry(entry: LedgerEntry, format: Formatter) {
  const t = format.t.points;
  const positive = entry.delta > 0;
  return html`<tr part="ledger-row" data-id=${entry.id}>
    <td class="when">${renderTime(entry.createdAt, format)}</td>
    <td>
      <div class="what">
        <span class="badge kind-${entry.kind}">${kindLabel(entry.kind, entry.delta, format)}</span>
        <span class="reason">${describe(entry, format)}</span>
        <span class="by muted">${entry.actor ? t.by(entry.actor.name) : t.bySystem}${entry.expiresAt && entry.remaining > 0
          ? html` · ${t.expires(format.date(entry.expiresAt))}`
          : nothing}</span>
      </div>
    </td>
    <td class="delta ${positive ? 'up' : 'down'}">${signed(entry.delta, format)}</td>
    <td class="after">${format.number(entry.balanceAfter)}</td>
  </tr>`;
}

export function renderLedger<Q>(ledger: PagedQuery<Q, LedgerEntry>, format: Formatter) {
  const t = format.t.points;
  const head = html`<h3 id="pm-ledger-title">${t.ledgerTitle}</h3>`;
  if (ledger.error && !ledger.items.length) return html`${head}${renderError(ledger.error, format.t, () => ledger.reload())}`;
  if (!ledger.loaded) return html`${head}${renderLoading(format.t)}`;
  if (!ledger.items.length) return html`${head}${renderEmpty(t.ledgerEmpty)}`;
  return html`${head}
    <div class="ledger-scroll" part="ledger-scroll" role="region" tabindex="0" aria-labelledby="pm-ledger-title">
      <table class="ledger-table" aria-labelledby="pm-ledger-title">
        <thead>
          <tr>
            <th scope="col">${t.columns.when}</th>
            <th scope="col">${t.columns.what}</th>
            <th scope="col" class="num">${t.columns.delta}</th>
            <th scope="col" class="num">${t.columns.balance}</th>
          </tr>
        </thead>
        <tbody>
          ${ledger.items.map((entry) => renderEntry(entry, format))}
        </tbody>
      </table>
      ${ledger.error
        ? renderError(ledger.error, format.t, () => ledger.retryMore())
        : ledger.hasMore
          ? html`<button type="button" class="btn ghost more" part="load-more" ?disabled=${ledger.loading !== 'idle'} @click=${() => ledger.loadMore()}>
              ${ledger.loading === 'more' ? t.loadingMore : t.loadMore}
            </button>`
          : nothing}
    </div>`;
}
