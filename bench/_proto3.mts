import { ensureRpmSet } from './lib/rpm-set';
const s = await ensureRpmSet(500, 8);
console.log(s.builtMs, s.cached, s.base(3), s.extra(2));
