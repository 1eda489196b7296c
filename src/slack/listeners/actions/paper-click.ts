import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Paper } from '../../../papers/paper.js';
import { afterPendingAcks } from '../../after-acks.js';
import type { AppDeps } from '../../deps.js';

/** Where a paper button was pressed, and on which paper. */
export interface PaperClick {
  teamId: string;
  channelId: string;
  userId: string;
  paperId: string;
  /** The thread the clicked message belongs to (its own ts when it is top-level). */
  threadTs: string;
}

export function paperClick(body: BlockAction, action: ButtonAction): PaperClick | undefined {
  const message = body.message as { ts?: string; thread_ts?: string } | undefined;
  const channelId = body.channel?.id ?? body.container?.channel_id;
  const threadTs = message?.thread_ts ?? message?.ts;
  if (!channelId || !threadTs || !action.value) return undefined;
  return { teamId: body.team?.id ?? body.user.team_id ?? '', channelId, userId: body.user.id, paperId: action.value, threadTs };
}

/** Tells the channel's model (src/recommend) that someone looked closer at a paper; never fails the click. */
export async function noteClue(deps: AppDeps, click: PaperClick, kind: 'summarize' | 'more-like'): Promise<void> {
  await deps.store
    .recordClue(click.teamId, click.channelId, click.userId, { kind, paperId: click.paperId })
    .catch((error: Error) => deps.logger.warn('clue not recorded', { kind, error: error.message }));
}

/**
 * A paper button's common start: acknowledged, past the ack gate, the clicked paper found and the
 * click noted for the channel's model. Undefined (the person told why) when the paper is gone.
 */
export async function clickedPaper(
  args: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs,
  deps: AppDeps,
  kind: 'summarize' | 'more-like',
): Promise<{ click: PaperClick; paper: Paper } | undefined> {
  await args.ack();
  await afterPendingAcks();
  const click = paperClick(args.body, args.action);
  const paper = click && deps.index.get(click.paperId);
  if (!click || !paper) {
    await args.respond({ response_type: 'ephemeral', replace_original: false, text: 'That paper is no longer in my index.' });
    return undefined;
  }
  void noteClue(deps, click, kind);
  return { click, paper };
}
