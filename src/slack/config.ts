import { z } from 'zod';

export type SlackConfig =
  | { mode: 'socket'; botToken: string; appToken: string; apiUrl?: string }
  | { mode: 'http'; botToken: string; signingSecret: string; port: number; apiUrl?: string };

/** Missing or malformed Slack settings; the message names every variable at fault. */
export class SlackConfigError extends Error {
  override name = 'SlackConfigError';
}

const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUnset, schema.optional());

const EnvSchema = z.object({
  SLACK_BOT_TOKEN: optional(
    z.string().trim().startsWith('xoxb-', { error: 'expected a bot token starting with xoxb- (OAuth & Permissions page)' }),
  ),
  SLACK_APP_TOKEN: optional(
    z.string().trim().startsWith('xapp-', { error: 'expected an app-level token starting with xapp- (Basic Information page)' }),
  ),
  SLACK_SIGNING_SECRET: optional(z.string().trim()),
  PORT: z.preprocess(
    blankAsUnset,
    z.coerce.number({ error: 'expected a port number' }).int({ error: 'expected a port number' }).min(0).max(65_535).default(3000),
  ),
  SLACK_API_URL: optional(z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as https://slack.com/api/' })),
});

/**
 * Socket Mode when SLACK_APP_TOKEN is set (no public URL needed), else HTTP on PORT, where Slack's
 * requests are checked against SLACK_SIGNING_SECRET.
 */
export function loadSlackConfig(env: NodeJS.ProcessEnv = process.env): SlackConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new SlackConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  }
  const { SLACK_BOT_TOKEN: botToken, SLACK_APP_TOKEN: appToken, SLACK_SIGNING_SECRET: signingSecret, PORT: port } = parsed.data;
  const apiUrl = parsed.data.SLACK_API_URL ? withTrailingSlash(parsed.data.SLACK_API_URL) : undefined;
  const missing: string[] = [];
  if (!botToken) missing.push('SLACK_BOT_TOKEN (the bot token, xoxb-...)');
  if (!appToken && !signingSecret) {
    missing.push('SLACK_APP_TOKEN (xapp-..., for Socket Mode) or SLACK_SIGNING_SECRET (for HTTP mode)');
  }
  if (missing.length) throw new SlackConfigError(`missing ${missing.join(' and ')}`);
  const common = { botToken: botToken!, ...(apiUrl ? { apiUrl } : {}) };
  return appToken ? { mode: 'socket', appToken, ...common } : { mode: 'http', signingSecret: signingSecret!, port, ...common };
}

// The Web API client joins method names onto this base URL.
function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
