import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, parseSubscribeArgs } from '../../src/digest/subscription.js';

const parse = (text: string, zone = 'America/Chicago') => parseSubscribeArgs(text.split(' ').filter(Boolean), zone);

describe('parseSubscribeArgs', () => {
  it('defaults to 09:00 on weekdays in the subscriber zone, everything trending', () => {
    expect(parse('')).toEqual({
      kind: 'trending',
      categories: [],
      time: '09:00',
      timeZone: 'America/Chicago',
      days: 'weekdays',
      topics: '',
    });
  });

  it('reads time, zone, days and topics in that order, each optional', () => {
    expect(parse('7:30 Europe/Paris daily knowledge distillation')).toEqual({
      kind: 'trending',
      categories: [],
      time: '07:30',
      timeZone: 'Europe/Paris',
      days: 'daily',
      topics: 'knowledge distillation',
    });
    expect(parse('UTC RLHF')).toMatchObject({ time: '09:00', timeZone: 'UTC', days: 'weekdays', topics: 'RLHF' });
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

  it('reads the times people type: 8am, 8:30pm, 20:30, 8:30 pm', () => {
    expect(parse('8am')).toMatchObject({ time: '08:00', topics: '' });
    expect(parse('8:30pm')).toMatchObject({ time: '20:30', topics: '' });
    expect(parse('20:30')).toMatchObject({ time: '20:30', topics: '' });
    expect(parse('8:30 pm')).toMatchObject({ time: '20:30', topics: '' });
    expect(parse('9:30am')).toMatchObject({ time: '09:30', topics: '' });
    expect(parse('8 PM agents')).toMatchObject({ time: '20:00', topics: 'agents' });
  });

  it('takes the options in any order, the topics being the other words', () => {
    const expected = {
      kind: 'trending',
      categories: [],
      time: '07:00',
      timeZone: 'Europe/Paris',
      days: 'daily',
      topics: 'knowledge distillation',
    };
    expect(parse('Europe/Paris 07:00 daily knowledge distillation')).toEqual(expected);
    expect(parse('knowledge daily distillation 7am Europe/Paris')).toEqual(expected);
    expect(parse('09:00 EST daily')).toMatchObject({ time: '09:00', timeZone: 'America/New_York', days: 'daily', topics: '' });
  });

  it('maps common zone abbreviations to IANA zones, and refuses ambiguous ones with the IANA names to use', () => {
    expect(parse('PST')).toMatchObject({ timeZone: 'America/Los_Angeles' });
    expect(parse('cet')).toMatchObject({ timeZone: 'Europe/Paris' });
    expect(parse('JST')).toMatchObject({ timeZone: 'Asia/Tokyo' });
    expect(parse('UTC')).toMatchObject({ timeZone: 'UTC' });
    expect(parse('IST')).toEqual({
      error: expect.stringMatching(/"IST" names several time zones: use the IANA name, e\.g\. Asia\/Kolkata or Europe\/Dublin/),
    });
    expect(parse('9am CST')).toEqual({ error: expect.stringContaining('America/Chicago or Asia/Shanghai') });
  });

  it('never takes something time-, zone- or frequency-like it does not understand as a topic', () => {
    expect(parse('8:3O pm')).toEqual({ error: expect.stringContaining('"8:3O"') });
    expect(parse('pm distillation')).toEqual({ error: expect.stringContaining('"pm"') });
    expect(parse('weekly agents')).toEqual({ error: expect.stringContaining('"weekly": digests go out daily or on weekdays') });
    expect(parse('mondays')).toMatchObject({ error: expect.stringContaining('"mondays"') });
    expect(parse('Europe/Pariss')).toEqual({ error: expect.stringContaining('"Europe/Pariss" is not a time zone') });
    expect(parse('8am 9am')).toEqual({ error: expect.stringContaining('Two times given') });
    expect(parse('UTC+5:30')).toMatchObject({ error: expect.stringContaining('"UTC+5:30"') });
    // Ordinary topic words stay topics.
    expect(parse('GPT west coast et al')).toMatchObject({ topics: 'GPT west coast et al' });
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

  it('reads the kind of digest and arXiv categories, as people type them', () => {
    expect(parse('arxiv cs.CL cs.LG distillation at 9am')).toEqual({
      kind: 'arxiv',
      categories: ['cs.CL', 'cs.LG'],
      time: '09:00',
      timeZone: 'America/Chicago',
      days: 'weekdays',
      topics: 'distillation',
    });
    expect(parse('ARXIV cs.* stat.ml astro-ph.CO cond-mat.mes-hall quant-ph daily')).toMatchObject({
      kind: 'arxiv',
      categories: ['cs.*', 'stat.ML', 'astro-ph.CO', 'cond-mat.mes-hall', 'quant-ph'],
      days: 'daily',
      topics: '',
    });
    expect(parse('trending agents 8am')).toMatchObject({ kind: 'trending', categories: [], topics: 'agents', time: '08:00' });
    // Words with a dot that are not shaped like a category stay topics.
    expect(parse('arxiv Node.js e.g.')).toMatchObject({ kind: 'arxiv', topics: 'Node.js e.g.' });
    // "at" is a topic word unless a time follows it.
    expect(parse('arxiv look at attention')).toMatchObject({ topics: 'look at attention' });
  });

  it('says what is wrong with a category or a kind, and where categories belong', () => {
    expect(parse('arxiv cs.XYZ')).toEqual({ error: expect.stringContaining('"cs.XYZ" is not an arXiv category') });
    expect(parse('arxiv cs.XX')).toEqual({ error: expect.stringContaining('"cs.XX" is not an arXiv category') });
    expect(parse('arxiv bio.NC')).toEqual({ error: expect.stringContaining('"bio.NC" is not an arXiv category') });
    expect(parse('arxiv foo.*')).toEqual({ error: expect.stringContaining('"foo.*" is not an arXiv category') });
    expect(parse('cs.CL distillation')).toEqual({ error: expect.stringContaining('/papers subscribe arxiv cs.CL') });
    expect(parse('arxiv trending')).toEqual({ error: expect.stringContaining('Two kinds of digest') });
  });
});
