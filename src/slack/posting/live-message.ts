import type { webApi } from '@slack/bolt';
import type { Logger } from '../../lib/logger.js';
import type { RenderedMessage } from '../blocks/topic-answer.js';

/**
 * A posted message that is edited as its answer streams in. Edits are throttled to one per
 * interval with at most one in flight, and only the latest content is sent, so a fast stream never
 * floods Slack and a slow (rate-limited) edit never lets an older version overwrite a newer one.
 */
export class LiveMessage {
  /** Rendered only when sent: a stream can change the content far more often than it is shown. */
  private latest: (() => RenderedMessage) | undefined;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastSentAt = 0;
  private finished = false;

  constructor(
    private readonly client: webApi.WebClient,
    readonly channel: string,
    readonly ts: string,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  /** Shows this content soon (interim: may be skipped for a newer version). */
  show(render: () => RenderedMessage): void {
    if (this.finished) return;
    this.latest = render;
    this.schedule();
  }

  /** Sends the final content once any edit in flight is done; later `show` calls are ignored. */
  async finish(message: RenderedMessage): Promise<void> {
    this.finished = true;
    this.latest = undefined;
    clearTimeout(this.timer);
    await this.inFlight;
    await this.update(message);
  }

  /** Sends this content now, after `finish`: a fallback when the final content was refused. */
  async replace(message: RenderedMessage): Promise<void> {
    await this.update(message);
  }

  private schedule(): void {
    if (this.timer || this.inFlight) return;
    const wait = Math.max(0, this.lastSentAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  private flush(): void {
    const render = this.latest;
    this.latest = undefined;
    if (!render || this.finished) return;
    this.inFlight = this.update(render())
      .catch((error: unknown) => this.logger.warn('interim update failed', { channel: this.channel, error }))
      .finally(() => {
        this.inFlight = undefined;
        if (this.latest) this.schedule();
      });
  }

  private async update(message: RenderedMessage): Promise<void> {
    this.lastSentAt = Date.now();
    await this.client.chat.update({ channel: this.channel, ts: this.ts, text: message.text, blocks: message.blocks });
  }
}
