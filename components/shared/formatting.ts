/** Small renderers of values that several components show the same way. */
import { html } from 'lit';
import type { Formatter } from '../i18n/i18n-controller.ts';

/** A moment as "3 hours ago", with the exact date and time on hover and for assistive tech. */
export function renderTime(at: string, format: Formatter) {
  const absolute = format.dateTime(at);
  return html`<time datetime=${at} title=${absolute} aria-label=${absolute}>${format.relative(at)}</time>`;
}

/** A points delta with its sign: +50, −30. */
export function signed(delta: number, format: Formatter) {
  return `${delta > 0 ? '+' : delta < 0 ? '−' : ''}${format.number(Math.abs(delta))}`;
}

/** A ledger kind's name; a merge entry reads differently on the customer it left. */
export function kindLabel(kind: string, delta: number, format: Formatter) {
  const t = format.t.points;
  if (kind === 'merge' && delta < 0) return t.kindMergeOut;
  return (t.kinds as Record<string, string>)[kind] ?? kind;
}
