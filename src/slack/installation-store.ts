import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';

/** Bolt's OAuth installations (one per workspace or org), kept as Slack's JSON. */
export interface InstallationRecords {
  saveInstallation(key: InstallationKey, installation: string): Promise<void>;
  getInstallation(key: InstallationKey): Promise<string | undefined>;
  deleteInstallation(key: InstallationKey): Promise<void>;
}

/** A workspace install has a teamId; an org-wide (Enterprise Grid) install only an enterpriseId. */
export interface InstallationKey {
  enterpriseId?: string;
  teamId?: string;
}

/**
 * Bolt's installation store over the app's store. A workspace install is keyed by its team id alone
 * (team ids are unique across Slack), so that work starting from a subscription's team id finds it;
 * an org-wide (Enterprise Grid) install is keyed by its enterprise id.
 */
export function createInstallationStore(records: InstallationRecords): InstallationStore {
  return {
    async storeInstallation(installation) {
      await records.saveInstallation(keyOfInstallation(installation), JSON.stringify(installation));
    },
    async fetchInstallation(query) {
      const stored = await records.getInstallation(keyOfQuery(query));
      if (!stored) throw new Error(`no installation for ${describe(query)}`);
      return JSON.parse(stored) as Installation;
    },
    async deleteInstallation(query) {
      await records.deleteInstallation(keyOfQuery(query));
    },
  };
}

/** The bot token a workspace's installation holds, if the app is installed there. */
export async function botTokenOf(records: InstallationRecords, teamId: string): Promise<string | undefined> {
  const stored = await records.getInstallation({ teamId });
  return stored ? (JSON.parse(stored) as Installation).bot?.token : undefined;
}

function keyOfInstallation(installation: Installation): InstallationKey {
  if (installation.isEnterpriseInstall) return { enterpriseId: required(installation.enterprise?.id, 'enterprise id') };
  return { teamId: required(installation.team?.id, 'team id') };
}

function keyOfQuery(query: InstallationQuery<boolean>): InstallationKey {
  if (query.isEnterpriseInstall) return { enterpriseId: required(query.enterpriseId, 'enterprise id') };
  return { teamId: required(query.teamId, 'team id') };
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new Error(`an installation without its ${what}`);
  return value;
}

function describe(query: InstallationQuery<boolean>): string {
  return query.isEnterpriseInstall ? `enterprise ${query.enterpriseId}` : `team ${query.teamId}`;
}
