/**
 * What the provider gives, for a controller: the API client, the session
 * and the locale, consumed from context as ClientelaElement consumes them.
 * So a panel or a form needs nothing of the element it renders in but the
 * ReactiveControllerHost every Lit element is.
 */
import { ContextConsumer } from '@lit/context';
import type { ReactiveControllerHost } from 'lit';
import type { ClientelaClient } from '../api/client.ts';
import { can, type Permission, type Session } from '../api/types.ts';
import { clientContext, sessionContext } from '../context.ts';
import { I18nController, type Formatter, type Translation } from '../i18n/i18n-controller.ts';

type Host = ReactiveControllerHost & HTMLElement;

export class Provided {
  private readonly clientConsumer: ContextConsumer<typeof clientContext, Host>;
  private readonly sessionConsumer: ContextConsumer<typeof sessionContext, Host>;
  private readonly i18n: I18nController;

  constructor(host: Host) {
    this.clientConsumer = new ContextConsumer(host, { context: clientContext, subscribe: true });
    this.sessionConsumer = new ContextConsumer(host, { context: sessionContext, subscribe: true });
    this.i18n = new I18nController(host);
  }

  get client(): ClientelaClient | undefined {
    return this.clientConsumer.value;
  }

  get session(): Session | null {
    return this.sessionConsumer.value ?? null;
  }

  get format(): Formatter {
    return this.i18n.format;
  }

  get t(): Translation {
    return this.i18n.t;
  }

  /** Whether the signed-in user holds a permission (an admin holds all). */
  can(perm: Permission): boolean {
    return can(this.session, perm);
  }
}
