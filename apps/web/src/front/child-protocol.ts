// What the front process and its Next.js child tell each other over the IPC channel.

/** The unix socket the child listens on (a path in a 0700 directory the front created). */
export const NEXT_SOCKET_ENV = 'PALLET_NEXT_SOCKET';
/** apps/web, where the Next.js build (.next) is. */
export const WEB_DIR_ENV = 'PALLET_WEB_DIR';

export type ChildMessage = { type: 'ready' } | { type: 'metrics'; id: number; snapshot: unknown };

export type FrontMessage = { type: 'metrics'; id: number };
