import type { FakeSlack, SlackCall } from '../../src/fake-slack/web-api.js';

/** Everything a message shows, blocks and fallback text, as one string to search. */
export function shownText(args: Record<string, unknown>): string {
  return JSON.stringify({ text: args.text, blocks: args.blocks });
}

/** A message still being written shows a placeholder or a cursor. */
export function isFinished(args: Record<string, unknown>): boolean {
  const shown = shownText(args);
  return !shown.includes('▍') && !/Reading the paper|Thinking…/.test(shown);
}

/** The bot's first successful post in a channel (at top level, or in the thread `threadTs`). */
export function postedMessage(slack: FakeSlack, channel: string, threadTs?: string): Promise<{ ts: string; call: SlackCall }> {
  return slack.waitFor((calls) => {
    const call = calls.find(
      (call) =>
        call.method === 'chat.postMessage' &&
        call.response?.ok === true &&
        call.args.channel === channel &&
        call.args.thread_ts === threadTs,
    );
    return call ? { ts: String(call.response!.ts), call } : undefined;
  });
}

/** The edit that finished the message `ts`, once Slack has accepted it. */
export function finalUpdate(slack: FakeSlack, channel: string, ts: string, timeoutMs = 10_000): Promise<SlackCall> {
  return slack.waitFor(
    (calls) =>
      calls.find(
        (call) =>
          call.method === 'chat.update' &&
          call.response?.ok === true &&
          call.args.channel === channel &&
          call.args.ts === ts &&
          isFinished(call.args),
      ),
    timeoutMs,
  );
}

export function updatesOf(slack: FakeSlack, channel: string, ts: string): SlackCall[] {
  return slack.callsOf('chat.update').filter((call) => call.args.channel === channel && call.args.ts === ts);
}
