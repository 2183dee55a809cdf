/** The kit's classes and types, without registering anything (see define.ts for the default tags). */
export { ClientelaProvider } from './provider/clientela-provider.ts';
export { CustomerCard } from './customer-card/customer-card.ts';
export { MemberList } from './member-list/member-list.ts';
export { PointsManager } from './points-manager/points-manager.ts';
export { CustomerHistory } from './customer-history/customer-history.ts';
export { MergeDialog } from './merge-dialog/merge-dialog.ts';
export { CustomerOrders } from './customer-orders/customer-orders.ts';
export { CustomerInsights } from './customer-insights/customer-insights.ts';
export { ClientelaElement } from './shared/clientela-element.ts';
export { ClientelaClient, type ClientOptions, type TokenSource } from './api/client.ts';
export { ApiError, type FieldError } from './api/api-error.ts';
export type { Customer, CustomerCreate, CustomerPatch, Session, Permission } from './api/types.ts';
export * from './events.ts';
export { clientContext, sessionContext, localeContext, liveContext, type LocaleSettings } from './context.ts';
export { I18nController, Formatter, SUPPORTED_LOCALES, type Translation } from './i18n/i18n-controller.ts';
