/**
 * Follows the live event stream the provider shares (GET /events) for the
 * customers a component shows: subscribes while the component is on the
 * page, follows when the customers it shows change, and hands each change
 * (or a reset: reload everything) to the component. So a change made in one
 * component, or by another admin, reaches every component on the page.
 */
import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { EventStream, LiveEvent } from '../api/event-stream.ts';
import { liveContext } from '../context.ts';

/** Customer ids to follow, '*' for every customer, or nothing. */
export type LiveTopics = () => ReadonlyArray<string | null | undefined>;

export class LiveUpdates implements ReactiveController {
  private stream: EventStream | undefined;
  private connected = false;
  private key = '';
  private subscribedTo: EventStream | undefined;
  private unsubscribers: Array<() => void> = [];

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly topics: LiveTopics,
    private readonly onEvent: (event: LiveEvent) => void,
  ) {
    host.addController(this);
    new ContextConsumer(host, {
      context: liveContext,
      subscribe: true,
      callback: (stream) => {
        this.stream = stream;
        this.sync();
      },
    });
  }

  hostConnected(): void {
    this.connected = true;
    this.sync();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.sync();
  }

  hostUpdated(): void {
    this.sync();
  }

  private sync(): void {
    const stream = this.connected ? this.stream : undefined;
    const topics = stream ? [...new Set(this.topics().filter((t): t is string => Boolean(t)))].sort() : [];
    const key = topics.join(' ');
    if (stream === this.subscribedTo && key === this.key) return;
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers = stream ? topics.map((topic) => stream.subscribe(topic, (event) => this.onEvent(event))) : [];
    this.subscribedTo = stream;
    this.key = key;
  }
}
