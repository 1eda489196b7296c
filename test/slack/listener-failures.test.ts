import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogFields, Logger } from '../../src/lib/logger.js';
import { BOT_USER_ID } from '../../src/fake-slack/web-api.js';
import { eventCallback, slashCommand } from '../../src/fake-slack/signed-requests.js';
import { FAILURE_TEXT } from '../../src/slack/middleware/report-failures.js';
import { startTestApp, type TestApp } from '../support/slack-app.js';

interface Entry {
  level: string;
  message: string;
  fields?: LogFields;
}

function recordingLogger(entries: Entry[]): Logger {
  const at = (level: string) => (message: string, fields?: LogFields) =>
    void entries.push({ level, message, ...(fields ? { fields } : {}) });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

// What the store says when its disk is gone: an internal the person must never see.
const INTERNAL = 'SQLITE_IOERR: disk I/O error at /var/lib/paperboy/paperboy.db';

describe('a listener that fails after Slack was acknowledged', () => {
  let app: TestApp;
  const entries: Entry[] = [];
  beforeAll(async () => {
    app = await startTestApp({ logger: recordingLogger(entries) });
    app.store.recordSearch = async () => {
      throw new Error(INTERNAL);
    };
    // /papers answers without recording the search when the store cannot write (issue 16): make its search fail instead.
    app.index.search = () => {
      throw new Error(INTERNAL);
    };
  });
  afterAll(async () => {
    await app.close();
  });

  const failures = async (request: string) => {
    await app.slack.waitFor(() => entries.find((entry) => entry.level === 'error' && entry.fields?.request === request));
    return entries.filter((entry) => entry.level === 'error' && entry.fields?.request === request);
  };

  it('/papers: the person is told in an ephemeral reply, without internals, and the stack is logged', async () => {
    const ack = await app.send(slashCommand({ text: 'distillation', channel_id: 'C0701', response_url: app.slack.responseUrl('fail-1') }));
    expect(ack.status).toBe(200);
    const reply = await app.slack.waitFor((calls) => calls.find((call) => call.method === 'response_url' && call.args.id === 'fail-1'));
    expect(reply.args).toMatchObject({ response_type: 'ephemeral', text: FAILURE_TEXT });
    expect(JSON.stringify(reply.args)).not.toMatch(/SQLITE|disk|paperboy\.db/);

    const [logged] = await failures('/papers');
    expect(logged).toMatchObject({ message: 'listener failed', fields: { team: 'T0001', channel: 'C0701' } });
    const error = logged!.fields!.error as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe(INTERNAL);
    expect(error.stack).toMatch(/at .*recordSearch|at .*listener-failures\.test/);
  });

  it('a mention: an ephemeral message to that person in the thread', async () => {
    await app.send(
      eventCallback(
        {
          type: 'app_mention',
          user: 'U0702',
          text: `<@${BOT_USER_ID}> distillation`,
          ts: '1700000702.000100',
          channel: 'C0702',
          team: 'T0001',
        },
        { eventId: 'EvFail702' },
      ),
    );
    const told = await app.slack.waitFor((calls) =>
      calls.find((call) => call.method === 'chat.postEphemeral' && call.args.channel === 'C0702'),
    );
    expect(told.args).toMatchObject({ user: 'U0702', thread_ts: '1700000702.000100', text: FAILURE_TEXT });
    expect(await failures('app_mention')).toHaveLength(1);
    expect(app.slack.callsOf('chat.postMessage').filter((call) => call.args.channel === 'C0702')).toEqual([]);
  });
});
