import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogLevel, type webApi } from '@slack/bolt';
import { createApp } from '../app.js';
import type { AppDeps } from '../slack/deps.js';
import { BOT_TOKEN } from '../fake-slack/web-api.js';
import { serverUrl, startPageServer, type SandboxAbout } from './page-server.js';
import { Person } from './person.js';
import { loadSavedMessages, saveMessages } from './saved-messages.js';
import { SlackStandIn } from './stand-in.js';
import { Workspace } from './workspace.js';

export interface SandboxOptions {
  /** What the app works with, as `createApp` takes it. */
  deps: AppDeps;
  /** The page's port; 0 picks a free one. Default 3000. */
  port?: number;
  /** Default 127.0.0.1: the page acts as a workspace member, so it is not for the network. */
  host?: string;
  /** Shown as "Post today's digest now" when given; resolves with what to tell the person. */
  postDigestNow?: (channelId: string, client: webApi.WebClient) => Promise<string>;
  logLevel?: LogLevel;
  /** What the page says the bot works with (corpus, answers). */
  about?: SandboxAbout;
  /** Keep the channel's messages in this file across restarts (the store keeps threads and digests). */
  messagesFile?: string;
}

/** Saving waits this long for more changes: a streamed answer is edited many times a second. */
const SAVE_DELAY_MS = 250;

export interface Sandbox {
  /** The page, e.g. http://localhost:3000 */
  url: string;
  /** A Web API client of the stand-in, with the bot's token: for work that starts without a request (digests). */
  client: webApi.WebClient;
  /** Stops the page, the app and the stand-in; the deps (store) are the caller's to close. */
  stop(): Promise<void>;
}

/**
 * Slack without a workspace: the real Bolt app in HTTP mode, a loopback Slack stand-in it talks to,
 * and a page at `url` where a person uses it as in a Slack channel. Everything the page does reaches
 * the app as a signed request to /slack/events, exactly as Slack would send it.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const workspace = new Workspace();
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) await step();
  };
  try {
    const standIn = await new SlackStandIn(workspace).start();
    stops.push(() => standIn.stop());
    const { messagesFile } = options;
    if (messagesFile) {
      const saved = loadSavedMessages(messagesFile, (message) => options.deps.logger.warn(message));
      workspace.restore(saved.shown);
      standIn.fake.restoreMessages(saved.slack);
      const save = () => {
        try {
          saveMessages(messagesFile, { shown: workspace.snapshot().messages, slack: standIn.fake.savedMessages() });
        } catch (error) {
          options.deps.logger.warn('sandbox: could not save the messages', { file: messagesFile, error: String(error) });
        }
      };
      let timer: NodeJS.Timeout | undefined;
      const unsubscribe = workspace.subscribe(() => {
        timer ??= setTimeout(() => {
          timer = undefined;
          save();
        }, SAVE_DELAY_MS);
      });
      // Runs after the app has stopped (stops run in reverse), so the last edits are in.
      stops.unshift(async () => {
        unsubscribe();
        clearTimeout(timer);
        save();
      });
    }

    const signingSecret = randomBytes(32).toString('hex');
    const config = { mode: 'http' as const, botToken: BOT_TOKEN, signingSecret, port: 0, apiUrl: standIn.apiUrl };
    const app = createApp(config, options.deps, { logLevel: options.logLevel ?? LogLevel.WARN });
    await app.init();
    const receiver = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    stops.push(() => app.stop() as Promise<void>);

    const channel = { id: 'C0001', name: 'research' };
    const eventsUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/slack/events`;
    const person = new Person({ eventsUrl, signingSecret, channel: channel.id, standIn, workspace });
    const { postDigestNow } = options;
    const page = await startPageServer({
      host,
      port: options.port ?? 3000,
      channel,
      workspace,
      person,
      ...(options.about ? { about: options.about } : {}),
      ...(postDigestNow ? { postDigestNow: (channelId: string) => postDigestNow(channelId, app.client) } : {}),
    });
    stops.push(async () => {
      page.closeAllConnections();
      await new Promise<void>((resolve) => page.close(() => resolve()));
    });
    return { url: serverUrl(page, host), client: app.client, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
