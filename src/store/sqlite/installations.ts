import type Database from 'better-sqlite3';
import type { InstallationKey, InstallationRecords } from '../../slack/installation-store.js';

export function sqliteInstallations(db: Database.Database, now: () => Date): InstallationRecords {
  const save = db.prepare(
    `INSERT INTO installations (enterprise_id, team_id, installation, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (enterprise_id, team_id) DO UPDATE SET installation = excluded.installation, updated_at = excluded.updated_at`,
  );
  const get = db.prepare<[string, string], { installation: string }>(
    'SELECT installation FROM installations WHERE enterprise_id = ? AND team_id = ?',
  );
  const remove = db.prepare('DELETE FROM installations WHERE enterprise_id = ? AND team_id = ?');
  return {
    async saveInstallation(key, installation) {
      save.run(...keyColumns(key), installation, now().toISOString());
    },
    async getInstallation(key) {
      return get.get(...keyColumns(key))?.installation;
    },
    async deleteInstallation(key) {
      remove.run(...keyColumns(key));
    },
  };
}

/** (enterprise_id, team_id), with '' for the part an install does not have. */
function keyColumns({ enterpriseId = '', teamId = '' }: InstallationKey): [string, string] {
  if (enterpriseId === '' && teamId === '') throw new Error('an installation key needs a teamId or an enterpriseId');
  return [enterpriseId, teamId];
}
