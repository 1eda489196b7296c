import type pg from 'pg';
import type { InstallationKey, InstallationRecords } from '../../slack/installation-store.js';

export function postgresInstallations(pool: pg.Pool, now: () => Date): InstallationRecords {
  return {
    async saveInstallation(key, installation) {
      await pool.query(
        `INSERT INTO installations (enterprise_id, team_id, installation, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (enterprise_id, team_id)
         DO UPDATE SET installation = excluded.installation, updated_at = excluded.updated_at`,
        [...keyColumns(key), installation, now()],
      );
    },

    async getInstallation(key) {
      const { rows } = await pool.query<{ installation: string }>(
        'SELECT installation FROM installations WHERE enterprise_id = $1 AND team_id = $2',
        keyColumns(key),
      );
      return rows[0]?.installation;
    },

    async deleteInstallation(key) {
      await pool.query('DELETE FROM installations WHERE enterprise_id = $1 AND team_id = $2', keyColumns(key));
    },
  };
}

/** (enterprise_id, team_id), with '' for the part an install does not have. */
function keyColumns({ enterpriseId = '', teamId = '' }: InstallationKey): [string, string] {
  if (enterpriseId === '' && teamId === '') throw new Error('an installation key needs a teamId or an enterpriseId');
  return [enterpriseId, teamId];
}
