import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { USAGE_TEXT } from '../../src/slack/blocks/usage.js';
import { manifestBotScopes } from '../../src/slack/oauth-scopes.js';

const manifest = readFileSync(join(projectRoot, 'manifest.yml'), 'utf8');

/** manifest.yml asks for what the app uses and tells a person what to fill in (issue 9). */
describe('manifest.yml', () => {
  it('asks for no scope the app never uses (reactions:read)', () => {
    expect(manifestBotScopes()).not.toContain('reactions:read');
  });

  it('shows, commented, the three request URLs HTTP mode needs and the OAuth redirect URL', () => {
    expect(manifest).toMatch(/^ {6}# url: https:\/\/<your host>\/slack\/events$/m);
    expect(manifest).toMatch(/^ {2}event_subscriptions:\n {4}# request_url: https:\/\/<your host>\/slack\/events$/m);
    expect(manifest).toMatch(/^ {2}interactivity:\n {4}is_enabled: true\n {4}# request_url: https:\/\/<your host>\/slack\/events$/m);
    expect(manifest).toMatch(/^oauth_config:\n {2}# redirect_urls:\n {2}# {3}- https:\/\/<your host>\/slack\/oauth_redirect$/m);
  });

  it('advertises the subscribe options /papers help lists, and the Messages tab it serves (DMs answered)', () => {
    const hint = /usage_hint: "([^"]*)"/.exec(manifest)![1]!;
    const options = /subscribe \[HH:MM\] \[time zone\] (\[daily\|weekdays\])/.exec(USAGE_TEXT)![1]!;
    expect(hint).toContain(`subscribe [HH:MM] [zone] ${options}`);
    expect(manifest).toContain('messages_tab_enabled: true');
    expect(manifest).toContain('- message.im');
    expect(manifestBotScopes()).toContain('im:history');
  });
});
