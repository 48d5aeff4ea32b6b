import { startPallet } from '/work/main/e2e/support/server';
const p = await startPallet('manual');
console.log(JSON.stringify({ baseUrl: p.baseUrl, dir: p.instance.dir, env: p.instance.env }));
await new Promise((r) => setTimeout(r, 1e9));
