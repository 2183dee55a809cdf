/**
 * A ResizeObserver that hands its entries over in the next animation frame
 * instead of inside the browser's resize notification.
 *
 * Work that changes layout inside a notification (the list virtualiser
 * measuring its rows and rendering the ones that now fit, a chart taking
 * its container's new width) makes new sizes to report within the same
 * frame; the browser cannot deliver them and fires a window `error`,
 * "ResizeObserver loop completed with undelivered notifications", which
 * hosts' error trackers and Angular's global error listener report on every
 * page load. Done in the next frame's animation callbacks, the same work
 * lays out before that frame's notifications are gathered: nothing is left
 * undelivered, and the rows move one frame later at most.
 */
export class FrameResizeObserver implements ResizeObserver {
  private readonly observer: ResizeObserver;
  /** The newest entry of each target since the last delivery. */
  private pending = new Map<Element, ResizeObserverEntry>();
  private frame = 0;

  constructor(private readonly callback: ResizeObserverCallback) {
    this.observer = new ResizeObserver((entries) => {
      for (const entry of entries) this.pending.set(entry.target, entry);
      this.frame ||= requestAnimationFrame(() => this.deliver());
    });
  }

  observe(target: Element, options?: ResizeObserverOptions): void {
    this.observer.observe(target, options);
  }

  unobserve(target: Element): void {
    this.pending.delete(target);
    this.observer.unobserve(target);
  }

  disconnect(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.pending.clear();
    this.observer.disconnect();
  }

  private deliver() {
    this.frame = 0;
    const entries = [...this.pending.values()];
    this.pending.clear();
    if (entries.length) this.callback(entries, this);
  }
}
