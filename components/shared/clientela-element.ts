/**
 * What every Clientela component has: the client and session from the
 * provider, the i18n controller, and a clear message when there is no
 * provider. Points-manager, merge-dialog and customer-history extend it too.
 * All of it is protected: it serves the components built on it, and is no
 * part of an element's public API (its attributes, properties, methods and
 * events, which custom-elements.json lists).
 */
import { consume } from '@lit/context';
import { html, LitElement } from 'lit';
import { state } from 'lit/decorators.js';
import type { ClientelaClient } from '../api/client.ts';
import { can, type Permission, type Session } from '../api/types.ts';
import { clientContext, sessionContext } from '../context.ts';
import { I18nController } from '../i18n/i18n-controller.ts';
import { icon } from './icons.ts';
import { tellDashedProperties, tellNoProvider } from './misuse.ts';

export class ClientelaElement extends LitElement {
  @consume({ context: clientContext, subscribe: true })
  @state()
  protected client?: ClientelaClient;

  @consume({ context: sessionContext, subscribe: true })
  @state()
  protected session: Session | null = null;

  protected readonly i18n = new I18nController(this);

  override connectedCallback(): void {
    super.connectedCallback();
    // After the first render: a framework sets its bindings between creating the element and that.
    void this.updateComplete.then(() => tellDashedProperties(this));
  }

  /** Whether the signed-in user holds a permission (an admin holds all). */
  protected can(perm: Permission): boolean {
    return can(this.session, perm);
  }

  /** Shown instead of the component when no <clientela-provider> is around it. */
  protected renderNoProvider() {
    tellNoProvider(this, () => this.client !== undefined);
    return html`<div class="state error" role="alert" part="state error">
      ${icon('alert')}
      <p>${this.i18n.t.errors.noProvider}</p>
    </div>`;
  }
}
