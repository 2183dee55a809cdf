import { ClientelaProvider, CustomerCard, CustomerHistory, MemberList, MergeDialog, PointsManager } from '/dist/lib/index.js';
import { startBackOffice } from '/back-office.js';

/** Another widget library on the same page already owns <customer-card>. */
class LegacyCustomerCard extends HTMLElement {
  connectedCallback() {
    this.textContent = 'Legacy CRM customer card';
  }
}
customElements.define('customer-card', LegacyCustomerCard);

// The provider first, so the components find it as they upgrade.
customElements.define('acme-clientela-provider', ClientelaProvider);
customElements.define('acme-member-list', MemberList);
customElements.define('acme-customer-card', CustomerCard);
customElements.define('acme-points-manager', PointsManager);
customElements.define('acme-merge-dialog', MergeDialog);
customElements.define('acme-customer-history', CustomerHistory);

startBackOffice({ prefix: 'acme-' });
