/**
 * Registers the default tags: the only module with side effects. Hosts that
 * need other names import the classes from index.ts and define their own.
 */
import { ContextRoot } from '@lit/context';
import { CustomerCard } from './customer-card/customer-card.ts';
import { CustomerHistory } from './customer-history/customer-history.ts';
import { CustomerInsights } from './customer-insights/customer-insights.ts';
import { CustomerOrders } from './customer-orders/customer-orders.ts';
import { MemberList } from './member-list/member-list.ts';
import { MergeDialog } from './merge-dialog/merge-dialog.ts';
import { PointsManager } from './points-manager/points-manager.ts';
import { ClientelaProvider } from './provider/clientela-provider.ts';

/** Registers a tag unless something already holds it (a second copy of the kit warns instead of throwing). */
export function define(tag: string, ctor: CustomElementConstructor) {
  const existing = customElements.get(tag);
  if (!existing) customElements.define(tag, ctor);
  else if (existing !== ctor) console.warn(`clientela: <${tag}> is already defined by another script; keeping that one.`);
}

// Lets components that upgrade before their provider still find it once it arrives.
const rootKey = Symbol.for('clientela.context-root');
const holder = globalThis as { [rootKey]?: ContextRoot };
if (!holder[rootKey]) {
  holder[rootKey] = new ContextRoot();
  holder[rootKey].attach(document.documentElement);
}

define('clientela-provider', ClientelaProvider);
define('customer-card', CustomerCard);
define('member-list', MemberList);
define('points-manager', PointsManager);
define('customer-history', CustomerHistory);
define('merge-dialog', MergeDialog);
define('customer-orders', CustomerOrders);
define('customer-insights', CustomerInsights);

declare global {
  interface HTMLElementTagNameMap {
    'clientela-provider': ClientelaProvider;
    'customer-card': CustomerCard;
    'member-list': MemberList;
    'points-manager': PointsManager;
    'customer-history': CustomerHistory;
    'merge-dialog': MergeDialog;
    'customer-orders': CustomerOrders;
    'customer-insights': CustomerInsights;
  }
}
