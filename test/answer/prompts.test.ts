import { describe, expect, test } from 'vitest';
import { PROMPT_FILES, PromptError, loadPrompts, parsePrompt, renderPrompt } from '../../src/answer/prompts.js';

describe('prompts', () => {
  test('every prompt in prompts/ loads with a version, once', () => {
    const prompts = loadPrompts();
    expect(Object.keys(prompts).sort()).toEqual(Object.keys(PROMPT_FILES).sort());
    for (const prompt of Object.values(prompts)) expect(prompt.version).toBeGreaterThanOrEqual(1);
    expect(loadPrompts()).toBe(prompts);
  });

  test('a file without a version or with a stray placeholder is refused with a clear message', () => {
    expect(() => parsePrompt('deepDive', '---\ntitle: x\n---\n[system]\ns\n[user]\n{{paper}}', 'f.md', ['paper'])).toThrow(
      /f\.md: front matter needs a line "version: N"/,
    );
    expect(() => parsePrompt('deepDive', '---\nversion: 2\n---\n[system]\n{{papr}}\n[user]\n{{paper}}', 'f.md', ['paper'])).toThrow(
      PromptError,
    );
    expect(() => parsePrompt('deepDive', '---\nversion: 2\n---\n[system]\ns\n[user]\nu', 'f.md', ['paper'])).toThrow(
      /missing placeholder\(s\) \{\{paper\}\}/,
    );
  });

  test('values are inserted once: a placeholder inside a value stays literal', () => {
    const prompt = parsePrompt('deepDive', '---\nversion: 3\n---\n[system]\nsys\n[user]\nP: {{paper}}', 'f.md', ['paper']);
    expect(prompt.version).toBe(3);
    expect(renderPrompt(prompt, { paper: '{{paper}} x' })).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'P: {{paper}} x' },
    ]);
  });
});
