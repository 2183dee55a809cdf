/**
 * Reads a text/event-stream response frame by frame, for tests. Always
 * close() it: an open stream keeps node:test from finishing.
 */
export interface SseFrame {
  /** The event name; 'comment' for a comment line such as the heartbeat. */
  event: string;
  id: string | null;
  data: any;
}

/** Long enough for any healthy run; only a broken stream ever waits this long. */
const GIVE_UP_MS = 15_000;

export class SseReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = '';
  private frames: SseFrame[] = [];
  private done = false;

  constructor(readonly response: Response) {
    if (!response.body) throw new Error(`No body (status ${response.status})`);
    this.reader = response.body.getReader();
  }

  /** The next frame, or null once the server has ended the stream. */
  async next(): Promise<SseFrame | null> {
    for (;;) {
      const frame = this.frames.shift();
      if (frame) return frame;
      if (this.done) return null;
      const { value, done } = await this.reader.read();
      if (done) {
        this.done = true;
        continue;
      }
      this.buffer += this.decoder.decode(value, { stream: true });
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const parsed = parseBlock(block);
        if (parsed) this.frames.push(parsed);
      }
    }
  }

  /** Skips frames until one matches; fails if the stream ends first (or never delivers). */
  async until(match: (frame: SseFrame) => boolean, what = 'a matching frame'): Promise<SseFrame> {
    const seen: SseFrame[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const giveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Gave up waiting for ${what}; saw ${JSON.stringify(seen)}`)), GIVE_UP_MS);
    });
    try {
      for (;;) {
        const frame = await Promise.race([this.next(), giveUp]);
        if (!frame) throw new Error(`The stream ended before ${what}; saw ${JSON.stringify(seen)}`);
        if (match(frame)) return frame;
        seen.push(frame);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** The next change event (skipping heartbeats and other frames). */
  nextChange(): Promise<SseFrame> {
    return this.until((f) => f.event === 'change', 'a change event');
  }

  /** Reads to the end, answering every frame; fails if the server never ends it. */
  async rest(): Promise<SseFrame[]> {
    const all: SseFrame[] = [];
    for (;;) {
      const frame = await this.until(() => true, 'the end of the stream').catch((err: Error) => {
        if (/ended before/.test(err.message)) return null;
        throw err;
      });
      if (!frame) return all;
      all.push(frame);
    }
  }

  async close(): Promise<void> {
    this.done = true;
    await this.reader.cancel().catch(() => {});
  }
}

function parseBlock(block: string): SseFrame | null {
  let event = 'message';
  let id: string | null = null;
  const data: string[] = [];
  let comment: string | null = null;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) comment = line.slice(1).trim();
    else if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('id: ')) id = line.slice(4);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
  }
  if (!data.length) {
    if (comment !== null) return { event: 'comment', id: null, data: comment };
    return null;
  }
  return { event, id, data: JSON.parse(data.join('\n')) };
}
