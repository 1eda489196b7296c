import { describe, expect, it } from 'vitest';
import { noMatchText, topicTitle } from '../../src/slack/posting/wording.js';

describe('wording', () => {
  it('offers close terms as code, escaped', () => {
    expect(noMatchText('distilation', ['distillation', 'distill'])).toBe(
      'I found no papers on “distilation”. Did you mean: `distillation`, `distill`?',
    );
    expect(noMatchText('<!here>', ['a`b<'])).toBe('I found no papers on “&lt;!here&gt;”. Did you mean: `ab&lt;`?');
  });

  it('keeps the title short', () => {
    expect(topicTitle('x'.repeat(500)).length).toBeLessThan(150);
  });
});
