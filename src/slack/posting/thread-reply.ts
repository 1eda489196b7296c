import type { webApi } from '@slack/bolt';
import type { SynthesisStream } from '../../answer/types.js';
import type { Paper } from '../../papers/paper.js';
import { renderReply } from '../blocks/reply.js';
import { synthesisText, type SynthesisState } from '../blocks/synthesis.js';
import type { AppDeps } from '../deps.js';
import { finalState, followSynthesis } from './follow-synthesis.js';
import { LiveMessage } from './live-message.js';

export interface ThreadReply {
  client: webApi.WebClient;
  channel: string;
  threadTs: string;
  /** Starts the answer; the signal stops it when it is too late to show. */
  stream: (signal: AbortSignal) => SynthesisStream;
  /** The papers the reply's [n] refer to. */
  sources: readonly Paper[];
  heading?: string;
  pendingLabel: string;
  /** Called once the reply is posted (before it is written), e.g. to point the person to it. */
  onPosted?: (ts: string) => Promise<void>;
}

/** Posts a streamed answer in a thread; resolves with its final text (for the thread's history). */
export async function postThreadReply(reply: ThreadReply, deps: AppDeps): Promise<string> {
  const render = (synthesis: SynthesisState) => renderReply({ heading: reply.heading, synthesis, sources: reply.sources });
  const controller = new AbortController();
  const stream = reply.stream(controller.signal);
  const first = render({ status: 'pending', label: reply.pendingLabel });
  const posted = await reply.client.chat
    .postMessage({
      channel: reply.channel,
      thread_ts: reply.threadTs,
      text: first.text,
      blocks: first.blocks,
      unfurl_links: false,
      unfurl_media: false,
    })
    .catch((error: unknown) => {
      controller.abort();
      throw error;
    });
  const pointed = reply.onPosted?.(posted.ts!);
  const live = new LiveMessage(reply.client, reply.channel, posted.ts!, deps.timing.updateIntervalMs, deps.logger);
  const outcome = await followSynthesis(
    stream,
    (text) => live.show(() => render({ status: 'streaming', text })),
    deps.timing.answerTimeoutMs,
    deps.logger,
    () => controller.abort(),
  );
  const final = finalState(outcome, 'That is taking too long to answer; please ask again in a minute.');
  await live.finish(render(final));
  await pointed;
  return synthesisText(final);
}
