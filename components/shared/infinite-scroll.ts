/**
 * Loads the next page when the end of a list comes into view. The element
 * watched is the list's "load more" button, so keyboard and screen-reader
 * users have the same way on that a scrolling pointer has. It is watched
 * afresh whenever the list grows, so a page too short to scroll still
 * brings the next one.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class InfiniteScroll implements ReactiveController {
  private observer: IntersectionObserver | null = null;
  private target: Element | null = null;
  private watchedLength = -1;

  constructor(
    private readonly host: ReactiveControllerHost & { renderRoot: HTMLElement | DocumentFragment },
    private readonly selector: string,
    /** How many items are shown now; a change re-arms the watch. */
    private readonly length: () => number,
    private readonly onEnd: () => void,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const target = this.host.renderRoot.querySelector(this.selector);
    const length = this.length();
    if (target === this.target && length === this.watchedLength) return;
    this.observer?.disconnect();
    this.target = target;
    this.watchedLength = length;
    if (!target) return;
    this.observer ??= new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && this.onEnd(), { rootMargin: '240px' });
    this.observer.observe(target);
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = null;
    this.target = null;
    this.watchedLength = -1;
  }
}
