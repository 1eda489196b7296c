import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../paths.js';

const MANIFEST = join(projectRoot, 'manifest.yml');

/**
 * The bot scopes an OAuth install asks for: manifest.yml's oauth_config.scopes.bot, so that the app
 * created from the manifest and the install link never disagree.
 */
export function manifestBotScopes(file = MANIFEST): string[] {
  const scopes = botScopesIn(readFileSync(file, 'utf8'));
  if (!scopes.length) throw new Error(`${file}: no oauth_config.scopes.bot list`);
  return scopes;
}

/**
 * The `- scope` items under oauth_config: scopes: bot:, read by indentation. The manifest is ours
 * and block-style; a YAML library would be a dependency for ten lines.
 */
export function botScopesIn(manifest: string): string[] {
  const path = ['oauth_config', 'scopes', 'bot'];
  const indents: number[] = [];
  const scopes: string[] = [];
  for (const raw of manifest.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '');
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    while (indents.length && indent <= indents.at(-1)!) indents.pop();
    if (indents.length === path.length) {
      const item = /^-\s+(\S+)$/.exec(line.trim());
      if (item) scopes.push(item[1]!.replace(/^["']|["']$/g, ''));
      continue;
    }
    if (line.trim() === `${path[indents.length]}:`) indents.push(indent);
    else if (scopes.length) break;
  }
  return scopes;
}
