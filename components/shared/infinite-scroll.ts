/**
 * Loads the next page when the end of a list comes near. The element
 * watched is the list's "load more" button, so keyboard and screen-reader
 * users have the same way on that a scrolling pointer has; it is watched
 * within the list's own scrolling area, a screenful ahead. It is watched
 * afresh whenever the list grows, so a page too short to scroll still
 * brings the next one.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface InfiniteScrollOptions {
  /** The "load more" element. */
  target: string;
  /** The scrolling area around it. */
  scroller: string;
  /** How many items are shown now; a change re-arms the watch. */
  length: () => number;
  onEnd: () => void;
}

export class InfiniteScroll implements ReactiveController {
  private observer: IntersectionObserver | null = null;
  private root: Element | null = null;
  private target: Element | null = null;
  private watchedLength = -1;

  constructor(
    private readonly host: ReactiveControllerHost & { renderRoot: HTMLElement | DocumentFragment },
    private readonly options: InfiniteScrollOptions,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const target = this.host.renderRoot.querySelector(this.options.target);
    const root = this.host.renderRoot.querySelector(this.options.scroller);
    const length = this.options.length();
    if (target === this.target && root === this.root && length === this.watchedLength) return;
    if (root !== this.root) this.stop();
    this.observer?.disconnect();
    this.target = target;
    this.root = root;
    this.watchedLength = length;
    if (!target || !root) return;
    this.observer ??= new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && this.options.onEnd(), {
      root,
      rootMargin: '0px 0px 100% 0px',
    });
    this.observer.observe(target);
  }

  hostDisconnected(): void {
    this.stop();
    this.target = null;
    this.root = null;
    this.watchedLength = -1;
  }

  private stop() {
    this.observer?.disconnect();
    this.observer = null;
  }
}
