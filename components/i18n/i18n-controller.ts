/**
 * Picks the locale table for a component and formats dates, numbers and
 * money through Intl. The locale comes from the provider's context, else the
 * nearest `lang` attribute, else the page's; unknown languages fall back to
 * English. No global runtime: each component asks for itself.
 */
import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { localeContext, type LocaleSettings } from '../context.ts';
import { en, type Translation } from './en.ts';
import { es } from './es.ts';
import { localizeServerMessage } from './server-messages.ts';

export type { Translation };

const TABLES: Record<string, Translation> = { es, en };
export const SUPPORTED_LOCALES = Object.keys(TABLES);
const DEFAULT_CURRENCY = 'EUR';

export function tableFor(locale: string): Translation {
  return TABLES[locale.toLowerCase().split('-')[0]] ?? en;
}

export class Formatter {
  readonly t: Translation;
  private readonly cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

  constructor(
    readonly locale: string,
    readonly currency: string = DEFAULT_CURRENCY,
  ) {
    this.t = tableFor(locale);
  }

  private numberFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
    let format = this.cache.get(key) as Intl.NumberFormat | undefined;
    if (!format) this.cache.set(key, (format = new Intl.NumberFormat(this.locale, options)));
    return format;
  }

  private dateFormat(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
    let format = this.cache.get(key) as Intl.DateTimeFormat | undefined;
    if (!format) this.cache.set(key, (format = new Intl.DateTimeFormat(this.locale, options)));
    return format;
  }

  number(value: number): string {
    return this.numberFormat('n', {}).format(value);
  }

  /** Money arrives in integer minor units (SPEC §4). */
  money(minor: number, currency = this.currency): string {
    const format = this.numberFormat(`m:${currency}`, { style: 'currency', currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(minor / 10 ** digits);
  }

  percent(value: number): string {
    return this.numberFormat('p', { style: 'percent', maximumFractionDigits: 2 }).format(value / 100);
  }

  /** A calendar date (`YYYY-MM-DD`), shown without shifting by time zone. */
  date(value: string | null | undefined): string {
    if (!value) return this.t.common.none;
    const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(value + 'T12:00:00Z') : new Date(value);
    if (Number.isNaN(day.getTime())) return value;
    return this.dateFormat('d', { dateStyle: 'medium', timeZone: /^\d{4}-\d{2}-\d{2}$/.test(value) ? 'UTC' : undefined }).format(day);
  }

  dateTime(value: string | null | undefined): string {
    if (!value) return this.t.common.none;
    const at = new Date(value);
    return Number.isNaN(at.getTime()) ? value : this.dateFormat('dt', { dateStyle: 'medium', timeStyle: 'short' }).format(at);
  }

  /** "3 days ago", for recent moments; older ones get a date. */
  relative(value: string, now = Date.now()): string {
    const seconds = Math.round((new Date(value).getTime() - now) / 1000);
    const abs = Math.abs(seconds);
    const rtf = new Intl.RelativeTimeFormat(this.locale, { numeric: 'auto' });
    if (abs < 60) return rtf.format(seconds, 'second');
    if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
    if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
    if (abs < 7 * 86_400) return rtf.format(Math.round(seconds / 86_400), 'day');
    return this.dateTime(value);
  }

  /** A validation message from the server, in this locale when it is a known one. */
  serverMessage(message: string): string {
    return localizeServerMessage(message, this.locale);
  }

  list(items: string[]): string {
    return new Intl.ListFormat(this.locale, { style: 'short', type: 'conjunction' }).format(items);
  }
}

export class I18nController implements ReactiveController {
  private formatter: Formatter;
  private readonly consumer: ContextConsumer<typeof localeContext, ReactiveControllerHost & HTMLElement>;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
    this.formatter = new Formatter(this.pageLocale());
    this.consumer = new ContextConsumer(host, {
      context: localeContext,
      subscribe: true,
      callback: (settings) => this.use(settings),
    });
  }

  get t(): Translation {
    return this.formatter.t;
  }

  get format(): Formatter {
    return this.formatter;
  }

  get locale(): string {
    return this.formatter.locale;
  }

  hostConnected(): void {
    if (!this.consumer.value) this.use(undefined);
  }

  private use(settings: LocaleSettings | undefined) {
    const locale = settings?.locale || this.pageLocale();
    const currency = settings?.currency || DEFAULT_CURRENCY;
    if (locale !== this.formatter.locale || currency !== this.formatter.currency) {
      this.formatter = new Formatter(locale, currency);
      this.host.requestUpdate();
    }
  }

  private pageLocale(): string {
    const holder = this.host.closest?.('[lang]') as HTMLElement | null;
    return holder?.lang || document.documentElement.lang || navigator.language || 'en';
  }
}
