import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, parseSubscribeArgs } from '../../src/digest/subscription.js';

const parse = (text: string, zone = 'America/Chicago') => parseSubscribeArgs(text.split(' ').filter(Boolean), zone);

describe('parseSubscribeArgs', () => {
  it('defaults to 09:00 on weekdays in the subscriber zone, everything trending', () => {
    expect(parse('')).toEqual({ time: '09:00', timeZone: 'America/Chicago', days: 'weekdays', topics: '' });
  });

  it('reads time, zone, days and topics in that order, each optional', () => {
    expect(parse('7:30 Europe/Paris daily knowledge distillation')).toEqual({
      time: '07:30',
      timeZone: 'Europe/Paris',
      days: 'daily',
      topics: 'knowledge distillation',
    });
    expect(parse('UTC RLHF')).toEqual({ time: '09:00', timeZone: 'UTC', days: 'weekdays', topics: 'RLHF' });
    expect(parse('5pm mixture of experts')).toMatchObject({ time: '17:00', topics: 'mixture of experts' });
    expect(parse('12am weekdays')).toMatchObject({ time: '00:00', days: 'weekdays', topics: '' });
    expect(parse('08:15 utc+2')).toMatchObject({ time: '08:15', timeZone: 'Etc/GMT-2' });
  });

  it('says what is wrong with a bad time, zone or topic list', () => {
    expect(parse('25:00')).toEqual({ error: expect.stringContaining('"25:00" is not a time of day') });
    expect(parse('13pm')).toEqual({ error: expect.stringContaining('"13pm"') });
    expect(parse('09:00 Mars/Olympus_Mons')).toEqual({ error: expect.stringContaining('"Mars/Olympus_Mons" is not a time zone') });
    expect(parse('x'.repeat(201))).toEqual({ error: expect.stringContaining('limited to 200') });
  });

  it('falls back to UTC when Slack gives no usable zone for the user', () => {
    expect(parse('', 'Not/AZone')).toMatchObject({ timeZone: 'UTC' });
  });
});

describe('canonicalTimeZone', () => {
  it('accepts IANA names in any case, and UTC', () => {
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone('Z')).toBe('UTC');
    expect(canonicalTimeZone('Nowhere/Land')).toBeUndefined();
  });
});
