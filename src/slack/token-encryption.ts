import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { InstallationRecords } from './installation-store.js';

/** The keys that protect OAuth installations (bot and user tokens) at rest. */
export interface TokenKeys {
  /** Encrypts every installation saved. */
  current: Buffer;
  /** Still decrypt installations saved before a rotation; each one read is saved again under `current`. */
  previous: Buffer[];
}

export class TokenKeyError extends Error {
  override name = 'TokenKeyError';
}

const PREFIX = 'enc:v1';

/** A key as the environment gives it: 32 random bytes, base64 (`openssl rand -base64 32`) or 64 hex digits. */
export function parseTokenKey(text: string, setting: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32)
    throw new TokenKeyError(`${setting}: expected 32 random bytes as base64 (openssl rand -base64 32) or 64 hex digits`);
  return key;
}

/** Names a key without revealing it: stored with each ciphertext, so that decryption picks the right key. */
function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** AES-256-GCM: `enc:v1:<key id>:<iv>:<tag>:<ciphertext>`, base64 parts; the tag makes tampering fail loudly. */
export function encrypt(plain: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [PREFIX, keyId(key), iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
}

/** The plain text, and whether it was stored under an old key (or in clear, before encryption). */
export function decrypt(stored: string, keys: TokenKeys): { plain: string; stale: boolean } {
  if (!stored.startsWith(`${PREFIX}:`)) return { plain: stored, stale: true };
  const [, , id, iv, tag, data] = stored.split(':');
  const key = [keys.current, ...keys.previous].find((candidate) => keyId(candidate) === id);
  if (!key)
    throw new TokenKeyError(
      `an installation is encrypted with key ${id}, which is neither PAPERBOY_TOKEN_KEY nor in PAPERBOY_TOKEN_KEY_PREVIOUS`,
    );
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv!, 'base64'));
  decipher.setAuthTag(Buffer.from(tag!, 'base64'));
  const plain = Buffer.concat([decipher.update(Buffer.from(data!, 'base64')), decipher.final()]).toString('utf8');
  return { plain, stale: key !== keys.current };
}

/**
 * The store with its installations encrypted: saved under the current key, read under any known
 * one, and saved again under the current key when read from an old key or from clear text (rows
 * written before encryption), so that a rotation completes as workspaces are used.
 */
export function withEncryptedInstallations<T extends InstallationRecords>(store: T, keys: TokenKeys): T {
  const wrapped: InstallationRecords = {
    saveInstallation: (key, installation) => store.saveInstallation(key, encrypt(installation, keys.current)),
    getInstallation: async (key) => {
      const stored = await store.getInstallation(key);
      if (stored === undefined) return undefined;
      const { plain, stale } = decrypt(stored, keys);
      if (stale) await store.saveInstallation(key, encrypt(plain, keys.current));
      return plain;
    },
    deleteInstallation: (key) => store.deleteInstallation(key),
  };
  // The store's other methods stay its own (found through the prototype, with `this` still working).
  return Object.assign(Object.create(store) as T, wrapped);
}
