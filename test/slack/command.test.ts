import { describe, expect, it } from 'vitest';
import { parsePapersCommand } from '../../src/slack/command.js';

describe('parsePapersCommand', () => {
  it('shows help for nothing or "help" alone', () => {
    for (const text of ['', '  ', 'help', ' Help ']) expect(parsePapersCommand(text)).toEqual({ kind: 'help' });
  });

  it('reserves the digest subcommands, whatever follows', () => {
    expect(parsePapersCommand('subscribe #research daily')).toEqual({ kind: 'digest', subcommand: 'subscribe', args: '#research daily' });
    expect(parsePapersCommand('UNSUBSCRIBE')).toEqual({ kind: 'digest', subcommand: 'unsubscribe', args: '' });
    expect(parsePapersCommand('subscriptions')).toEqual({ kind: 'digest', subcommand: 'subscriptions', args: '' });
  });

  it('takes anything else as a topic, as typed', () => {
    expect(parsePapersCommand('  knowledge distillation ')).toEqual({ kind: 'topic', text: 'knowledge distillation' });
    expect(parsePapersCommand('help with diffusion')).toEqual({ kind: 'topic', text: 'help with diffusion' });
    expect(parsePapersCommand('subscriber churn models')).toEqual({ kind: 'topic', text: 'subscriber churn models' });
  });
});
