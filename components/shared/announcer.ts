/**
 * A component's polite live region: what was just done ("Saved", "3 new
 * events") said to screen-reader users without moving their focus. Emptied
 * first and filled after the next render, so the same message twice is
 * heard twice.
 */
import { html, type ReactiveControllerHost } from 'lit';

export class Announcer {
  private message = '';

  constructor(private readonly host: ReactiveControllerHost) {}

  announce(message: string) {
    this.message = '';
    this.host.requestUpdate();
    void this.host.updateComplete.then(() => {
      this.message = message;
      this.host.requestUpdate();
    });
  }

  render() {
    return html`<div class="visually-hidden" role="status" aria-live="polite">${this.message}</div>`;
  }
}
