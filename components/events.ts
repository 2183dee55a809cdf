/**
 * Every public event, one class each, declared in GlobalEventHandlersEventMap
 * so `el.addEventListener('customer-saved', e => e.detail.customer)` type-checks
 * in the host. All bubble and cross shadow roots; the ones a host may veto are
 * cancelable.
 */
import type { Customer } from './api/types.ts';

const crossing = { bubbles: true, composed: true } as const;

/** A customer was picked (a row of the list, a duplicate hint); `customer` is the row's data when there is one. */
export class CustomerSelectEvent extends Event {
  constructor(readonly detail: { customerId: string; customer: Omit<Customer, 'duplicateHints'> | null }) {
    super('customer-select', crossing);
  }
}

/** A customer's profile was saved (fields, status, assignee, marks). */
export class CustomerSavedEvent extends Event {
  constructor(readonly detail: { customer: Customer; changed: string[] }) {
    super('customer-saved', crossing);
  }
}

/** Points were added or deducted. */
export class PointsChangedEvent extends Event {
  constructor(readonly detail: { customerId: string; delta: number; balance: number; lifetimePoints: number }) {
    super('points-changed', crossing);
  }
}

/** Sources were merged into a primary customer. */
export class CustomersMergedEvent extends Event {
  constructor(readonly detail: { customerId: string; sourceIds: string[]; mergeId: string; customer: Customer }) {
    super('customers-merged', crossing);
  }
}

/** Before an irreversible merge: a host may call preventDefault() to stop it. */
export class MergeRequestEvent extends Event {
  constructor(readonly detail: { customerId: string; sourceIds: string[] }) {
    super('merge-request', { ...crossing, cancelable: true });
  }
}

/** A new member was added by hand. */
export class MemberCreatedEvent extends Event {
  constructor(readonly detail: { customer: Customer }) {
    super('member-created', crossing);
  }
}

/** A member was removed from the programme (status `removed`). */
export class MemberRemovedEvent extends Event {
  constructor(readonly detail: { customerId: string; customer: Customer | null }) {
    super('member-removed', crossing);
  }
}

/** The views of a customer a component may ask the host to show. */
export type CustomerView = 'orders' | 'history';

/** Someone asked to see a customer's orders or history (the card's links): the host shows that view. */
export class CustomerViewRequestEvent extends Event {
  constructor(readonly detail: { customerId: string; view: CustomerView }) {
    super('customer-view-request', crossing);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'customer-select': CustomerSelectEvent;
    'customer-saved': CustomerSavedEvent;
    'points-changed': PointsChangedEvent;
    'customers-merged': CustomersMergedEvent;
    'merge-request': MergeRequestEvent;
    'member-created': MemberCreatedEvent;
    'member-removed': MemberRemovedEvent;
    'customer-view-request': CustomerViewRequestEvent;
  }
}
