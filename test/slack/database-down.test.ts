import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEAM_ID } from '../../src/fake-slack/web-api.js';
import { slashCommand } from '../../src/fake-slack/signed-requests.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres.js';
import { finalUpdate, postedMessage, shownText } from '../support/slack-messages.js';
import { startTestApp, type TestApp } from '../support/slack-app.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const url = process.env.PAPERBOY_TEST_DATABASE_URL;

// The real PostgreSQL server behind a proxy the test can take down: "Postgres down" as the app meets it.
describe.skipIf(!url)('when the database is down', () => {
  const schema = `paperboy_test_${randomBytes(6).toString('hex')}`;
  let proxy: TcpProxy;
  let store: PostgresStore;
  let app: TestApp;
  beforeAll(async () => {
    const target = new URL(url!);
    proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
    target.hostname = '127.0.0.1';
    target.port = String(proxy.port);
    store = await openPostgresStore(target.toString(), { schema });
    app = await startTestApp({ store });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    await proxy.close();
    const admin = new pg.Pool({ connectionString: url! });
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  const command = (text: string, channel: string, id: string) =>
    app.send(slashCommand({ text, channel_id: channel, response_url: app.slack.responseUrl(id) }));
  const privateReply = (id: string) =>
    app.slack.waitFor((calls) => calls.find((call) => call.method === 'response_url' && call.args.id === id));

  it('answers /papers anyway: the search needs no write', async () => {
    proxy.down();
    expect((await command('distillation', 'C0701', 'down1')).status).toBe(200);
    const { ts } = await postedMessage(app.slack, 'C0701');
    const final = await finalUpdate(app.slack, 'C0701', ts, 15_000);
    expect(shownText(final.args)).toContain('Dual-Head Knowledge Distillation');
  });

  it('says plainly that a subscription could not be saved, and saves it once the database is back', async () => {
    proxy.down();
    await command('subscribe 08:00 distillation', 'C0702', 'down2');
    expect(String((await privateReply('down2')).args.text)).toContain(
      'I could not save this digest: the database did not answer, so nothing changed',
    );
    proxy.bringUp();
    await command('subscribe 08:00 distillation', 'C0702', 'up2');
    expect(String((await privateReply('up2')).args.text)).toContain('<#C0702> will get the trending papers digest');
    expect(await store.getSubscription(TEAM_ID, 'C0702')).toMatchObject({ time: '08:00', topics: 'distillation' });
  });
});
