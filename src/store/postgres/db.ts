import pg from 'pg';

export interface PoolSettings {
  /** Where the tables live: created if missing, and every connection's search_path. */
  schema?: string;
  poolSize?: number;
}

/** Lower case only: an unquoted name in search_path is folded to lower case. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`"${schema}" is not a usable schema name: use lower-case letters, digits and _ (at most 63)`);
  }
  return schema;
}

/** DATE columns come back as the YYYY-MM-DD text they hold, not as a JavaScript Date at local midnight. */
function typeParsers(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
  return types;
}

export function createPool(url: string, { schema, poolSize = 10 }: PoolSettings): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // A startup parameter rather than a SET after connecting: no connection can run a query before it.
    ...(schema === undefined ? {} : { options: `-c search_path=${checkSchemaName(schema)}` }),
    types: typeParsers(),
    fallback_application_name: 'paperboy',
    connectionTimeoutMillis: 10_000,
    // TCP keepalive, so that a query to a server that vanished without a word errors instead of waiting forever.
    keepAlive: true,
    keepAliveInitialDelayMillis: 30_000,
  });
  // An idle connection that dies (server restart, network) is dropped by the pool, and the next query
  // opens a new one. Without a listener the 'error' event would crash the process.
  pool.on('error', () => {});
  return pool;
}

export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    const broken = await client.query('ROLLBACK').then(
      () => false,
      () => true,
    );
    client.release(broken);
    throw error;
  }
}
