import { webApi } from '@slack/bolt';

/** How long a post may take before it counts as not accepted. */
export const POST_TIMEOUT_MS = 5_000;
/** Rate-limited posts are tried again this many times: Slack recorded nothing, so it is safe. */
const RATE_LIMIT_RETRIES = 3;
/** A Retry-After longer than this is not waited for: the person is told at once instead. */
const MAX_RETRY_AFTER_S = 10;

type PostArgs = webApi.ChatPostMessageArguments;

/**
 * chat.postMessage for an answer someone is waiting for, sent once. A 5xx or a timeout leaves it
 * unknown whether Slack recorded the post, and the client's own retries once posted an answer twice,
 * 107 s late: here only a 429 (nothing recorded) is tried again, after its Retry-After; anything
 * else is thrown at once, so that the caller can tell the person within seconds.
 */
export async function postOnce(client: webApi.WebClient, args: PostArgs): Promise<webApi.ChatPostMessageResponse> {
  const once = new webApi.WebClient(client.token, {
    slackApiUrl: client.slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: POST_TIMEOUT_MS,
    logLevel: webApi.LogLevel.ERROR,
  });
  for (let attempt = 0; ; attempt++) {
    try {
      return await once.chat.postMessage(args);
    } catch (error) {
      const retryAfter =
        (error as { code?: string; retryAfter?: number }).code === webApi.ErrorCode.RateLimitedError
          ? (error as { retryAfter: number }).retryAfter
          : undefined;
      if (retryAfter === undefined || attempt >= RATE_LIMIT_RETRIES || retryAfter > MAX_RETRY_AFTER_S) throw error;
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    }
  }
}
