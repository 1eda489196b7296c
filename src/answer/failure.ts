import OpenAI from 'openai';

/** Why the LLM gave no usable answer, in words fit for the notice a user reads. */
export class LlmFailure extends Error {
  override name = 'LlmFailure';
  constructor(
    readonly reason: string,
    cause?: unknown,
  ) {
    super(reason, cause === undefined ? undefined : { cause });
  }
}

export function describeFailure(error: unknown): string {
  if (error instanceof LlmFailure) return error.reason;
  if (error instanceof OpenAI.APIConnectionTimeoutError) return 'timeout';
  if (error instanceof OpenAI.APIUserAbortError) return 'cancelled';
  if (error instanceof OpenAI.APIConnectionError) return 'cannot reach the LLM server';
  if (error instanceof OpenAI.RateLimitError) return 'rate limited (429)';
  if (error instanceof OpenAI.AuthenticationError) return 'the API key was refused (401)';
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    return error.status >= 500 ? `server error (${error.status})` : `request rejected (${error.status})`;
  }
  if (error instanceof SyntaxError || /JSON/i.test(String((error as Error)?.message))) return 'malformed response';
  return 'unexpected error';
}
