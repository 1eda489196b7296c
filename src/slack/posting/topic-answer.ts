import type { webApi } from '@slack/bolt';
import type { Respond } from '../respond.js';
import type { Tldr } from '../../answer/types.js';
import type { TopicAnswer } from '../../answer/topic-answer.js';
import { renderAnswer, type RenderedMessage } from '../blocks/topic-answer.js';
import type { SynthesisState } from '../blocks/synthesis.js';
import type { AppDeps } from '../deps.js';
import { finalState, followSynthesis, withTimeout } from './follow-synthesis.js';
import { section } from '../blocks/elements.js';
import { escapeText } from '../mrkdwn.js';
import { LiveMessage } from './live-message.js';
import { postOnce } from './post-once.js';
import { isNotInChannel, slackErrorCode } from './slack-errors.js';
import { INVITE_ME } from './wording.js';
import { channelAccess } from '../listeners/commands/channel-access.js';

/**
 * chat:write.public lets the bot post an answer in a public channel it is not in, but Slack sends it
 * no messages from there, so replies in the answer's thread would go unanswered: the answer says so.
 * (The bot does not join channels by itself: a channel decides whom it lets in.)
 */
const FOLLOW_UP_HINT = `:information_source: I'm not in this channel, so I won't see replies in this thread. ${INVITE_ME} to ask follow-ups here.`;

const INVITE_HINT = `I can't post in this conversation, so only you can see this. ${INVITE_ME} and the channel can see answers and follow up in their threads.`;

export interface AnswerTarget {
  client: webApi.WebClient;
  teamId: string;
  channel: string;
  /** Post inside this thread rather than at the top of the channel. */
  threadTs?: string;
  /** Where the bot cannot post, the answer goes to the asker alone through this. */
  respond?: Respond;
  /** Called once the answer is posted (before it is written), e.g. to point the person to it. */
  onPosted?: (ts: string) => Promise<void>;
}

const READING = 'Reading the papers…';
const NOT_ACCEPTED = 'Slack did not accept the answer; try again.';
const TOO_SLOW = 'The summary is taking too long, so here are the papers on their own. Ask again in a minute for the full answer.';

/**
 * Posts a topic answer where the channel sees it: the papers at once with a placeholder summary,
 * edited as the summary streams in, then the final message. The thread is recorded so that
 * replies in it are answered about these papers.
 */
export async function postTopicAnswer(answer: TopicAnswer, title: string, target: AnswerTarget, deps: AppDeps): Promise<void> {
  let footer: string | undefined;
  const render = (synthesis: SynthesisState, tldrs?: Tldr[]) =>
    renderAnswer({ title, hits: answer.hits, synthesis, tldrs, ...(footer ? { footer } : {}) });
  // Asked by slash command in a channel (a mention or a DM means the bot is there): is it a member?
  // Asked alongside the post, so the answer rarely waits for it.
  const membership = target.respond && !target.threadTs ? channelAccess(target.client, target.channel, deps.logger) : undefined;
  void membership?.then((access) => {
    if (access === 'not-member') footer = FOLLOW_UP_HINT;
  });
  const first = render({ status: 'pending', label: READING });
  let posted: Awaited<ReturnType<typeof target.client.chat.postMessage>>;
  try {
    posted = await postOnce(target.client, {
      channel: target.channel,
      ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
      text: first.text,
      blocks: first.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
  } catch (error) {
    if (target.respond && isNotInChannel(error)) return respondPrivately(answer, title, target.respond, deps);
    answer.cancel();
    // Slack's own refusal (is_archived, ...) is named; a 5xx or a timeout says nothing sure, so the person is asked to try again.
    const code = slackErrorCode(error);
    deps.logger.warn('answer not posted', { channel: target.channel, error: code ?? (error as Error).message });
    if (!target.respond) throw error;
    const text = code ? `Sorry, I could not post the answer here (${escapeText(code)}).` : NOT_ACCEPTED;
    await target.respond({ response_type: 'ephemeral', replace_original: false, text });
    return;
  }
  const ts = posted.ts!;
  const pointed = target.onPosted?.(ts);
  // Follow-ups in the thread need the record; the answer does not: a database that cannot write is logged, not shown.
  await recordThread(answer, { teamId: target.teamId, channelId: target.channel, threadTs: target.threadTs ?? ts }, deps).catch(
    (error: unknown) => deps.logger.warn('thread not recorded (database)', { channel: target.channel, error: String(error) }),
  );

  const live = new LiveMessage(target.client, target.channel, ts, deps.timing.updateIntervalMs, deps.logger);
  const deadline = Date.now() + deps.timing.answerTimeoutMs;
  const outcome = await followSynthesis(
    answer.synthesis,
    (text) => live.show(() => render({ status: 'streaming', text })),
    deps.timing.answerTimeoutMs,
    deps.logger,
    answer.cancel,
  );
  const tldrs = await settledTldrs(answer, deadline, deps);
  if (membership) await withTimeout(membership, Math.max(0, deadline - Date.now()), () => 'ok');
  await finishOrFallBack(live, render(finalState(outcome, TOO_SLOW), tldrs), target, deps);
  await pointed;
}

/**
 * The final edit, and if Slack refuses it, a plain one (the same text, without the layout that may
 * be what it refused); if that is refused too, the answer as a new message and the placeholder
 * deleted. A "Reading the papers…" placeholder is never left behind.
 */
async function finishOrFallBack(live: LiveMessage, message: RenderedMessage, target: AnswerTarget, deps: AppDeps): Promise<void> {
  const plain: RenderedMessage = { text: message.text, blocks: [section(message.text)] };
  try {
    return await live.finish(message);
  } catch (error) {
    deps.logger.warn('final edit refused; trying a plain one', { channel: target.channel, error: slackErrorCode(error) ?? String(error) });
  }
  try {
    return await live.replace(plain);
  } catch (error) {
    deps.logger.warn('plain edit refused; posting anew', { channel: target.channel, error: slackErrorCode(error) ?? String(error) });
  }
  await postOnce(target.client, {
    channel: target.channel,
    ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
    text: plain.text,
    blocks: plain.blocks,
    unfurl_links: false,
    unfurl_media: false,
  });
  await target.client.chat
    .delete({ channel: target.channel, ts: live.ts })
    .catch((error: unknown) =>
      deps.logger.warn('placeholder not deleted', { channel: target.channel, error: slackErrorCode(error) ?? String(error) }),
    );
}

async function respondPrivately(answer: TopicAnswer, title: string, respond: Respond, deps: AppDeps): Promise<void> {
  const deadline = Date.now() + deps.timing.answerTimeoutMs;
  const outcome = await followSynthesis(answer.synthesis, () => {}, deps.timing.answerTimeoutMs, deps.logger, answer.cancel);
  const tldrs = await settledTldrs(answer, deadline, deps);
  const message: RenderedMessage = renderAnswer({
    title,
    hits: answer.hits,
    synthesis: finalState(outcome, TOO_SLOW),
    tldrs,
    footer: `:warning: ${INVITE_HINT}`,
    buttons: false,
  });
  await respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
}

/** The thread is about these papers too: appended after any it was already about. */
async function recordThread(
  answer: TopicAnswer,
  key: { teamId: string; channelId: string; threadTs: string },
  deps: AppDeps,
): Promise<void> {
  const existing = await deps.store.getThread(key);
  const ids = answer.hits.map((hit) => hit.paper.id);
  const paperIds = existing ? [...existing.paperIds, ...ids.filter((id) => !existing.paperIds.includes(id))] : ids;
  const query = existing ? existing.query : answer.query;
  await deps.store.saveThread({ ...key, kind: existing?.kind ?? 'answer', ...(query === undefined ? {} : { query }), paperIds });
}

/** TL;DRs are a nicety: past the deadline each paper keeps its best-matching sentence. */
async function settledTldrs(answer: TopicAnswer, deadline: number, deps: AppDeps): Promise<Tldr[] | undefined> {
  const tldrs = answer.tldrs.catch((error: unknown) => {
    deps.logger.warn('TL;DRs failed', { error });
    return undefined;
  });
  return withTimeout(tldrs, Math.max(0, deadline - Date.now()), () => undefined);
}
