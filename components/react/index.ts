/**
 * React wrappers (@lit/react) for React hosts: each one renders the default
 * tag, passes props as properties (objects and callbacks too) and turns the
 * kit's events into typed `on…` props:
 *
 * ```tsx
 * <PointsManager customerId={id} onPointsChanged={(e) => toast(e.detail.balance)} />
 * ```
 *
 * Importing this module registers the default tags (it imports define.ts).
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import '../define.ts';
import { CustomerCard as CustomerCardElement } from '../customer-card/customer-card.ts';
import { CustomerHistory as CustomerHistoryElement } from '../customer-history/customer-history.ts';
import { CustomerInsights as CustomerInsightsElement } from '../customer-insights/customer-insights.ts';
import { CustomerOrders as CustomerOrdersElement } from '../customer-orders/customer-orders.ts';
import type {
  CustomerSavedEvent,
  CustomerSelectEvent,
  CustomersMergedEvent,
  CustomerViewRequestEvent,
  MemberCreatedEvent,
  MemberRemovedEvent,
  MergeRequestEvent,
  PointsChangedEvent,
} from '../events.ts';
import { MemberList as MemberListElement } from '../member-list/member-list.ts';
import { MergeDialog as MergeDialogElement } from '../merge-dialog/merge-dialog.ts';
import { PointsManager as PointsManagerElement } from '../points-manager/points-manager.ts';
import { ClientelaProvider as ClientelaProviderElement } from '../provider/clientela-provider.ts';

const customerSelect = 'customer-select' as EventName<CustomerSelectEvent>;
const customerSaved = 'customer-saved' as EventName<CustomerSavedEvent>;
const memberRemoved = 'member-removed' as EventName<MemberRemovedEvent>;

/** `<clientela-provider>`: put it around the other components, with `token` or `getToken`. */
export const ClientelaProvider = createComponent({
  react: React,
  tagName: 'clientela-provider',
  elementClass: ClientelaProviderElement,
  displayName: 'ClientelaProvider',
});

/** `<member-list>`: search, filter and pick members. */
export const MemberList = createComponent({
  react: React,
  tagName: 'member-list',
  elementClass: MemberListElement,
  displayName: 'MemberList',
  events: {
    onCustomerSelect: customerSelect,
    onMemberCreated: 'member-created' as EventName<MemberCreatedEvent>,
    onMemberRemoved: memberRemoved,
  },
});

/** `<customer-card>`: one customer's profile, to read and edit. */
export const CustomerCard = createComponent({
  react: React,
  tagName: 'customer-card',
  elementClass: CustomerCardElement,
  displayName: 'CustomerCard',
  events: {
    onCustomerSaved: customerSaved,
    onCustomerSelect: customerSelect,
    onMemberRemoved: memberRemoved,
    onCustomerViewRequest: 'customer-view-request' as EventName<CustomerViewRequestEvent>,
  },
});

/** `<points-manager>`: balance, level and ledger, with manual adjustments. */
export const PointsManager = createComponent({
  react: React,
  tagName: 'points-manager',
  elementClass: PointsManagerElement,
  displayName: 'PointsManager',
  events: {
    onPointsChanged: 'points-changed' as EventName<PointsChangedEvent>,
    onCustomerSaved: customerSaved,
  },
});

/** `<merge-dialog>`: merges duplicates into a customer; open it with `ref.current.show()`. */
export const MergeDialog = createComponent({
  react: React,
  tagName: 'merge-dialog',
  elementClass: MergeDialogElement,
  displayName: 'MergeDialog',
  events: {
    onMergeRequest: 'merge-request' as EventName<MergeRequestEvent>,
    onCustomersMerged: 'customers-merged' as EventName<CustomersMergedEvent>,
    onCustomerSelect: customerSelect,
  },
});

/** `<customer-history>`: everything that happened to a customer, newest first, live. */
export const CustomerHistory = createComponent({
  react: React,
  tagName: 'customer-history',
  elementClass: CustomerHistoryElement,
  displayName: 'CustomerHistory',
});

/** `<customer-orders>`: what a customer bought, newest first, each order opening to its items. */
export const CustomerOrders = createComponent({
  react: React,
  tagName: 'customer-orders',
  elementClass: CustomerOrdersElement,
  displayName: 'CustomerOrders',
});

/** `<customer-insights>`: a customer's purchase and points figures, with charts and their tables. */
export const CustomerInsights = createComponent({
  react: React,
  tagName: 'customer-insights',
  elementClass: CustomerInsightsElement,
  displayName: 'CustomerInsights',
});
