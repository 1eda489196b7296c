import { describe, expect, it } from 'vitest';
import { escapeText, link, safeUrl, truncate } from '../../src/slack/mrkdwn.js';

describe('mrkdwn', () => {
  it('escapes the three characters Slack reserves', () => {
    expect(escapeText('<!channel> & <@U1> <http://x|y>')).toBe('&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;http://x|y&gt;');
  });

  it('links only http(s) URLs, with the delimiters encoded', () => {
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('data:text/html,hi')).toBeUndefined();
    expect(safeUrl('not a url')).toBeUndefined();
    expect(safeUrl(undefined)).toBeUndefined();
    expect(safeUrl('https://a.org/x|y<z>?q=1&r=2')).toBe('https://a.org/x%7Cy%3Cz%3E?q=1&amp;r=2');
    expect(link('https://a.org/', 'a|b <c>')).toBe('<https://a.org/|a∣b &lt;c&gt;>');
    expect(link('ftp://a.org/', 'label & co')).toBe('label &amp; co');
  });

  it('truncates with an ellipsis, never inside an escape or a surrogate pair', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('abcdefghij', 5)).toBe('abcd…');
    expect(truncate('ab&amp;cd', 5)).toBe('ab…');
    expect(truncate('a😀b', 3)).toBe('a…');
  });
});
