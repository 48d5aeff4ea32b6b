// Runs once when the Next.js server starts (before it answers requests).
export async function register(): Promise<void> {
  // NEXT_RUNTIME is set by Next.js itself, not configuration: the stamp needs Node's http module.
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { stampPeerAddresses } = await import('./lib/peer-address');
    stampPeerAddresses();
  }
}
