import { randomBytes } from 'node:crypto';
import { escapeText } from '../slack/mrkdwn.js';
import { BOT_USER_ID, TEAM_ID } from '../fake-slack/web-api.js';
import { blockAction, deliver, eventCallback, slashCommand, type SlackRequest } from '../fake-slack/signed-requests.js';
import type { SlackStandIn } from './stand-in.js';
import type { Workspace } from './workspace.js';

export const PERSON = { id: 'U0001', name: 'ada' } as const;
export const BOT_NAME = 'Paperboy';

export interface Click {
  /** The message holding the button. */
  ts: string;
  actionId: string;
  value: string;
  blockId?: string;
}

/**
 * The one person in the sandbox. Whatever they do reaches the app as Slack would send it: signed
 * slash commands, Events API callbacks and block_actions interactions, POSTed to /slack/events.
 */
export class Person {
  constructor(
    private readonly options: { eventsUrl: string; signingSecret: string; channel: string; standIn: SlackStandIn; workspace: Workspace },
  ) {}

  /** What they type in a composer: a slash command, or a message (in the thread `threadTs`). */
  async type(text: string, threadTs?: string): Promise<void> {
    const trimmed = text.trim();
    if (!trimmed) return;
    const command = /^\/(\S+)\s*([\s\S]*)$/.exec(trimmed);
    if (command) return this.command(command[1]!, command[2]!, threadTs);
    return this.say(trimmed, threadTs);
  }

  async click(click: Click): Promise<void> {
    const { channel, standIn, workspace, signingSecret } = this.options;
    const message = workspace.message(click.ts);
    if (!message) return;
    const where = { channel, ...inThread(message.threadTs) };
    const request = blockAction(
      {
        actionId: click.actionId,
        value: click.value,
        ...(click.blockId ? { blockId: click.blockId } : {}),
        userId: PERSON.id,
        channelId: channel,
        messageTs: click.ts,
        ...inThread(message.threadTs),
        responseUrl: standIn.responseUrl(where),
        message: { text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) },
      },
      { secret: signingSecret },
    );
    await this.send(request, 'That button', message.threadTs);
  }

  async openHome(): Promise<void> {
    const event = { type: 'app_home_opened', user: PERSON.id, channel: 'D0001', tab: 'home', event_ts: this.options.workspace.nextTs() };
    await this.send(this.event(event), 'The Home tab');
  }

  /** A note from Slack itself to this person alone, as Slackbot. */
  notice(text: string, threadTs?: string): void {
    const { workspace, channel } = this.options;
    workspace.put({ ts: workspace.nextTs(), channel, ...inThread(threadTs), author: 'slackbot', text, ephemeral: true });
  }

  private async command(name: string, text: string, threadTs: string | undefined): Promise<void> {
    const { channel, standIn, signingSecret } = this.options;
    if (name !== 'papers') {
      this.notice(`\`/${escapeText(name)}\` is not a valid command here: the sandbox has \`/papers\` only.`, threadTs);
      return;
    }
    // Slack does not post the command itself; the echo tells the person what ran.
    // Inside `code`, a trailing space or a backtick would show the backticks themselves.
    const words = escapeText(text.trim()).replace(/`/g, 'ˋ');
    this.notice(`You ran \`/papers${words ? ` ${words}` : ''}\``, threadTs);
    const responseUrl = standIn.responseUrl({ channel, ...inThread(threadTs) });
    const request = slashCommand({ text, user_id: PERSON.id, channel_id: channel, response_url: responseUrl }, { secret: signingSecret });
    await this.send(request, '`/papers`', threadTs);
  }

  /** A message in the channel: every one is a `message` event, and one naming the bot is an `app_mention` too. */
  private async say(typed: string, threadTs: string | undefined): Promise<void> {
    const { channel, workspace } = this.options;
    const ts = workspace.nextTs();
    const text = escapeText(typed).replace(new RegExp(`@${BOT_NAME}\\b`, 'gi'), `<@${BOT_USER_ID}>`);
    workspace.put({ ts, channel, ...inThread(threadTs), author: 'user', text });
    const event = { channel, user: PERSON.id, text, ts, team: TEAM_ID, ...(threadTs ? { thread_ts: threadTs } : {}) };
    await this.send(this.event({ type: 'message', channel_type: 'channel', ...event }), 'Your message', threadTs);
    if (text.includes(`<@${BOT_USER_ID}>`)) await this.send(this.event({ type: 'app_mention', ...event }), 'Your mention', threadTs);
  }

  private event(event: Record<string, unknown>): SlackRequest {
    // Unique across runs: the app's store remembers which event ids it has handled.
    const eventId = `Ev${randomBytes(6).toString('hex').toUpperCase()}`;
    return eventCallback(event, { eventId, secret: this.options.signingSecret });
  }

  /** Slack gives an app 3 s to acknowledge, and tells the person when it did not. */
  private async send(request: SlackRequest, what: string, threadTs?: string): Promise<void> {
    try {
      const delivery = await deliver(this.options.eventsUrl, request);
      if (delivery.status !== 200) this.notice(`${what} failed: Paperboy answered HTTP ${delivery.status}.`, threadTs);
      else if (delivery.ms > 3000)
        this.notice(`${what} failed with the error "operation_timeout" (Paperboy took ${Math.round(delivery.ms)} ms).`, threadTs);
    } catch (error) {
      this.notice(`${what} failed: Paperboy is not reachable (${escapeText(String(error))}).`, threadTs);
    }
  }
}

function inThread(threadTs: string | undefined): { threadTs?: string } {
  return threadTs ? { threadTs } : {};
}
