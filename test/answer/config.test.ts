import { describe, expect, test } from 'vitest';
import { DEFAULT_MODEL, loadLlmConfig as llmConfigOf } from '../../src/answer/config.js';
import { loadSettings, SettingsError } from '../../src/config.js';

const loadLlmConfig = (env: NodeJS.ProcessEnv) => llmConfigOf(loadSettings(env));

describe('loadLlmConfig', () => {
  test('no key and no base URL: no LLM', () => {
    expect(loadLlmConfig({})).toBeUndefined();
    expect(loadLlmConfig({ OPENAI_API_KEY: '  ', OPENAI_MODEL: 'x' })).toBeUndefined();
  });

  test('a key alone gives OpenAI with the defaults', () => {
    expect(loadLlmConfig({ OPENAI_API_KEY: 'sk-test' })).toEqual({
      apiKey: 'sk-test',
      model: DEFAULT_MODEL,
      timeoutMs: 20_000,
      maxRetries: 2,
      maxPapers: 8,
      maxPromptTokens: 6_000,
      maxOutputTokens: 700,
    });
  });

  test('a base URL without a key is a local server', () => {
    const config = loadLlmConfig({ OPENAI_BASE_URL: 'http://localhost:11434/v1', OPENAI_MODEL: 'llama3.2', LLM_TIMEOUT_MS: '5000' });
    expect(config).toMatchObject({ baseURL: 'http://localhost:11434/v1', model: 'llama3.2', timeoutMs: 5000 });
    expect(config?.apiKey).toBeUndefined();
  });

  test('bad values are named, and the key never appears in the message', () => {
    const attempt = () => loadLlmConfig({ OPENAI_API_KEY: 'sk-secret', LLM_TIMEOUT_MS: 'soon', OPENAI_BASE_URL: 'localhost' });
    expect(attempt).toThrow(SettingsError);
    expect(attempt).toThrow(/LLM_TIMEOUT_MS: expected a whole number from 100 to 600000/);
    expect(attempt).toThrow(/OPENAI_BASE_URL: expected an http\(s\) URL/);
    expect(attempt).not.toThrow(/sk-secret/);
  });
});
