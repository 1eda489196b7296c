import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROMPTS_DIR } from '../paths.js';

/** Each prompt, the file it lives in, and the placeholders its text must use. */
export const PROMPT_FILES = {
  topic: { file: 'topic-synthesis.md', placeholders: ['query', 'papers'] },
  tldr: { file: 'paper-tldr.md', placeholders: ['paper', 'max_words'] },
  followUp: { file: 'thread-follow-up.md', placeholders: ['question', 'papers', 'history', 'no_answer'] },
  deepDive: { file: 'paper-deep-dive.md', placeholders: ['paper'] },
  rerank: { file: 'topic-rerank.md', placeholders: ['query', 'papers'] },
} as const;

export type PromptName = keyof typeof PROMPT_FILES;

export interface Prompt {
  name: PromptName;
  /** Part of every cache key: bump it when the text changes what the model writes. */
  version: number;
  system: string;
  user: string;
}

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export type Prompts = Record<PromptName, Prompt>;

export class PromptError extends Error {
  override name = 'PromptError';
}

const loaded = new Map<string, Prompts>();

/** Reads and checks every prompt in `dir` once; later calls reuse them. */
export function loadPrompts(dir: string = PROMPTS_DIR): Prompts {
  let prompts = loaded.get(dir);
  if (!prompts) {
    const entries = Object.entries(PROMPT_FILES).map(([name, spec]) => {
      const file = join(dir, spec.file);
      return [name, parsePrompt(name as PromptName, readText(file), file, spec.placeholders)];
    });
    prompts = Object.fromEntries(entries) as Prompts;
    loaded.set(dir, prompts);
  }
  return prompts;
}

/**
 * A prompt file: front matter with `version: N`, then a `[system]` section and a `[user]` section.
 * Placeholders are written `{{name}}`.
 */
export function parsePrompt(name: PromptName, text: string, file: string, placeholders: readonly string[]): Prompt {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text.replace(/\r\n/g, '\n'));
  if (!match) throw new PromptError(`${file}: expected front matter between --- lines`);
  const versionLine = /^version:\s*(\d+)\s*$/m.exec(match[1]!);
  if (!versionLine) throw new PromptError(`${file}: front matter needs a line "version: N"`);
  const sections = /^\[system\]\n([\s\S]*?)\n\[user\]\n([\s\S]*)$/.exec(match[2]!.trim());
  if (!sections) throw new PromptError(`${file}: expected a [system] section, then a [user] section`);
  const prompt: Prompt = { name, version: Number(versionLine[1]), system: sections[1]!.trim(), user: sections[2]!.trim() };
  const used = new Set([...placeholdersIn(prompt.system), ...placeholdersIn(prompt.user)]);
  const missing = placeholders.filter((placeholder) => !used.has(placeholder));
  const unknown = [...used].filter((placeholder) => !placeholders.includes(placeholder));
  if (missing.length) throw new PromptError(`${file}: missing placeholder(s) ${missing.map(brace).join(', ')}`);
  if (unknown.length) throw new PromptError(`${file}: unknown placeholder(s) ${unknown.map(brace).join(', ')}`);
  return prompt;
}

/** The prompt's messages with every placeholder filled; values are inserted once, never re-expanded. */
export function renderPrompt(prompt: Prompt, values: Record<string, string | number>): ChatMessage[] {
  const fill = (template: string) =>
    template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
      const value = values[key];
      if (value === undefined) throw new PromptError(`prompt ${prompt.name}: no value for ${brace(key)}`);
      return String(value);
    });
  return [
    { role: 'system', content: fill(prompt.system) },
    { role: 'user', content: fill(prompt.user) },
  ];
}

function placeholdersIn(template: string): string[] {
  return [...template.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]!);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new PromptError(`cannot read prompt ${file}: ${(error as Error).message}`);
  }
}

function brace(name: string): string {
  return `{{${name}}}`;
}
