/**
 * The @lit/context keys the provider fills. Keyed with Symbol.for() so two
 * bundled copies of the kit on one page still find each other.
 */
import { createContext } from '@lit/context';
import type { ClientelaClient } from './api/client.ts';
import type { EventStream } from './api/event-stream.ts';
import type { Session } from './api/types.ts';

export interface LocaleSettings {
  /** A BCP 47 tag (`es`, `es-MX`, `en-GB`): picks the table and drives Intl. */
  locale: string;
  /** ISO 4217 code that money amounts are shown in. */
  currency: string;
}

export const clientContext = createContext<ClientelaClient | undefined>(Symbol.for('clientela.client'));
export const sessionContext = createContext<Session | null>(Symbol.for('clientela.session'));
export const localeContext = createContext<LocaleSettings | undefined>(Symbol.for('clientela.locale'));
/** The page's one connection to the live event stream, shared by every component. */
export const liveContext = createContext<EventStream | undefined>(Symbol.for('clientela.live'));
