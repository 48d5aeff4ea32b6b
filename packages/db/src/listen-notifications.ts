// A dedicated PostgreSQL connection that LISTENs on one channel and reconnects when it drops.
// Caches built on top use `onState(false)` to stop trusting themselves while notifications may be lost.
import pg from 'pg';

export interface NotificationListener {
  close(): Promise<void>;
}

export function listenForNotifications(
  databaseUrl: string,
  channel: string,
  handlers: {
    onMessage(payload: string): void;
    /** true once LISTEN is in place (again), false whenever the connection is lost */
    onState(listening: boolean): void;
    onError?(err: Error): void;
  },
): NotificationListener {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString: databaseUrl });
    client = c;
    const lost = (err?: Error) => {
      if (client !== c) return;
      client = null;
      handlers.onState(false);
      if (err) handlers.onError?.(err);
      c.end().catch(() => {});
      if (!closed) retry = setTimeout(() => void connect(), 1000);
    };
    c.on('error', (err) => lost(err));
    c.on('end', () => lost());
    c.on('notification', (msg) => {
      if (msg.channel === channel) handlers.onMessage(msg.payload ?? '');
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      if (client === c && !closed) handlers.onState(true);
    } catch (err) {
      lost(err as Error);
    }
  };
  void connect();

  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const c = client;
      client = null;
      handlers.onState(false);
      await c?.end().catch(() => {});
    },
  };
}
