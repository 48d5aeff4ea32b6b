// Turns the license declarations packages make into SPDX license expressions: DEP-5 short names
// (debian/copyright) and rpm License tags (SPDX already on current Fedora/SUSE, the older Fedora
// short names such as `GPLv2+` or `ASL 2.0` before that). A name with no SPDX id becomes
// `LicenseRef-<name>` (SPDX's way to refer to a license outside its list), so every result is a
// syntactically valid SPDX 2.3 expression.
import spdxIds from 'spdx-license-ids/index.json' with { type: 'json' };

const CANONICAL = new Map((spdxIds as string[]).map((id) => [id.toLowerCase(), id]));

/** Names Debian (DEP-5 §7) and older Fedora spell differently from SPDX. Keys are lower case. */
const ALIASES: Record<string, string> = {
  expat: 'MIT',
  artistic: 'Artistic-1.0',
  perl: '(Artistic-1.0-Perl OR GPL-1.0-or-later)',
  'python-cnri': 'CNRI-Python',
  python: 'Python-2.0',
  psf: 'PSF-2.0',
  cc0: 'CC0-1.0',
  'zope-1.1': 'ZPL-1.1',
  'zope-2.0': 'ZPL-2.0',
  'zope-2.1': 'ZPL-2.1',
  'efl-1': 'EFL-1.0',
  'efl-2': 'EFL-2.0',
  'asl 1.1': 'Apache-1.1',
  'asl 2.0': 'Apache-2.0',
  'apache-2': 'Apache-2.0',
  'apache 2.0': 'Apache-2.0',
  boost: 'BSL-1.0',
  'mplv1.0': 'MPL-1.0',
  'mplv1.1': 'MPL-1.1',
  'mplv2.0': 'MPL-2.0',
  'mpl-2': 'MPL-2.0',
  openssl: 'OpenSSL',
  zlib: 'Zlib',
  isc: 'ISC',
  'bsd-2-clause': 'BSD-2-Clause',
  'bsd-3-clause': 'BSD-3-Clause',
  'bsd-4-clause': 'BSD-4-Clause',
  'cc-by-sa-3': 'CC-BY-SA-3.0',
  'cc-by-sa-4': 'CC-BY-SA-4.0',
  'cc-by-3': 'CC-BY-3.0',
  'cc-by-4': 'CC-BY-4.0',
};

/** SPDX exception ids for `<license> with <name> exception` (DEP-5) / `WITH` (SPDX). Lower-case keys. */
const EXCEPTIONS: Record<string, string> = {
  classpath: 'Classpath-exception-2.0',
  font: 'Font-exception-2.0',
  bison: 'Bison-exception-2.2',
  libtool: 'Libtool-exception',
  'gcc-3.1': 'GCC-exception-3.1',
  'gcc-2.0': 'GCC-exception-2.0',
  'autoconf-2.0': 'Autoconf-exception-2.0',
  'autoconf-3.0': 'Autoconf-exception-3.0',
  'llvm-exception': 'LLVM-exception',
  llvm: 'LLVM-exception',
};

const FAMILY = /^(agpl|lgpl|gpl|gfdl-niv|gfdl)(?:v|-)?(\d+(?:\.\d+)?)?(\+)?$/i;
const FAMILY_SPDX: Record<string, string> = {
  agpl: 'AGPL',
  lgpl: 'LGPL',
  gpl: 'GPL',
  gfdl: 'GFDL',
  'gfdl-niv': 'GFDL',
};

/** `GPL-2+` / `GPLv2+` / `LGPL-2.1` / `GFDL-NIV-1.3+` → `GPL-2.0-or-later` / … */
function familyId(name: string): string | undefined {
  const match = FAMILY.exec(name);
  if (!match) return undefined;
  const family = (match[1] as string).toLowerCase();
  const prefix = FAMILY_SPDX[family] as string;
  const orLater = Boolean(match[3]);
  // No version: any version of the license (DEP-5 `GPL`); the first one it had.
  let version =
    match[2] ?? (family === 'lgpl' ? '2' : family.startsWith('gfdl') ? '1.1' : family === 'agpl' ? '3' : '1');
  if (!version.includes('.')) version = `${version}.0`;
  const noInvariants = family === 'gfdl-niv' ? '-no-invariants' : '';
  const id = `${prefix}-${version}${noInvariants}-${orLater || !match[2] ? 'or-later' : 'only'}`;
  return CANONICAL.get(id.toLowerCase());
}

/** `LicenseRef-` ids allow letters, digits, `.` and `-` only. */
export function licenseRef(name: string): string {
  const cleaned = name
    .trim()
    .replace(/\+/g, '-or-later')
    .replace(/[^A-Za-z0-9.-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `LicenseRef-${cleaned || 'unknown'}`;
}

/** One license name → an SPDX id (or a parenthesised expression for Perl), else a LicenseRef. */
export function spdxLicenseId(name: string): string {
  const trimmed = name.trim();
  if (/^LicenseRef-[A-Za-z0-9.-]+$/.test(trimmed)) return trimmed;
  const lower = trimmed.toLowerCase();
  const exact = CANONICAL.get(lower) ?? ALIASES[lower] ?? familyId(trimmed);
  if (exact) return exact;
  if (lower === 'public-domain' || lower === 'public domain') return 'LicenseRef-public-domain';
  // `MPL-1.1+`: SPDX keeps the `+` operator for licenses without an -or-later id.
  if (trimmed.endsWith('+')) {
    const base = CANONICAL.get(lower.slice(0, -1)) ?? ALIASES[lower.slice(0, -1)];
    if (base && !base.includes(' ')) return `${base}+`;
  }
  // A bare version-less number spelling (`Apache-2`, `CC-BY-SA-4`).
  const dotted = CANONICAL.get(`${lower}.0`);
  if (dotted) return dotted;
  return licenseRef(trimmed);
}

function exceptionId(license: string, name: string): string | undefined {
  const key = name
    .trim()
    .replace(/\s+exception$/i, '')
    .toLowerCase();
  const version = /-(\d)\.0/.exec(license)?.[1];
  return EXCEPTIONS[key] ?? (version ? EXCEPTIONS[`${key}-${version}.0`] : undefined) ?? undefined;
}

type Token = { op: 'AND' | 'OR' | 'WITH' | '(' | ')' } | { name: string };

const SPLIT = /(\(|\)|\s+(?:and|or|with)\s+|\s*&\s*|\s*\|\s*)/i;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const part of text.split(SPLIT)) {
    const word = part.trim();
    if (word === '') continue;
    const upper = word.toUpperCase();
    if (upper === 'AND' || upper === '&') tokens.push({ op: 'AND' });
    else if (upper === 'OR' || upper === '|') tokens.push({ op: 'OR' });
    else if (upper === 'WITH') tokens.push({ op: 'WITH' });
    else if (word === '(' || word === ')') tokens.push({ op: word });
    else tokens.push({ name: word });
  }
  return tokens;
}

/** Rewrites a license expression with and/or/with and parentheses into SPDX syntax, or undefined. */
function convertTokens(tokens: Token[]): string | undefined {
  const out: string[] = [];
  let depth = 0;
  let expectOperand = true;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as Token;
    if ('name' in token) {
      if (!expectOperand) return undefined;
      const next = tokens[index + 1];
      const after = tokens[index + 2];
      let id = spdxLicenseId(token.name);
      if (next && 'op' in next && next.op === 'WITH' && after && 'name' in after) {
        const exception = exceptionId(id, after.name);
        id =
          exception && !id.startsWith('LicenseRef-') && !id.includes(' ')
            ? `${id} WITH ${exception}`
            : licenseRef(`${token.name} with ${after.name}`);
        index += 2;
      }
      out.push(id);
      expectOperand = false;
    } else if (token.op === '(') {
      if (!expectOperand) return undefined;
      depth++;
      out.push('(');
    } else if (token.op === ')') {
      if (expectOperand || depth === 0) return undefined;
      depth--;
      out.push(')');
    } else {
      if (expectOperand || token.op === 'WITH') return undefined;
      out.push(token.op);
      expectOperand = true;
    }
  }
  if (expectOperand || depth !== 0) return undefined;
  return out.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')');
}

function needsParentheses(expression: string): boolean {
  let depth = 0;
  for (const word of expression.split(/(\(|\)|\s+)/)) {
    if (word === '(') depth++;
    else if (word === ')') depth--;
    else if (depth === 0 && word === 'OR') return true;
  }
  return false;
}

/** Joins expressions with AND, parenthesising those with a top-level OR. */
export function allOf(expressions: readonly string[]): string | undefined {
  if (expressions.length === 0) return undefined;
  if (expressions.length === 1) return expressions[0];
  return expressions.map((e) => (needsParentheses(e) ? `(${e})` : e)).join(' AND ');
}

/**
 * A DEP-5 License line (`GPL-2+ or Artistic-1.0, and BSD-3-clause`) as an SPDX expression. In DEP-5
 * `and` binds tighter than `or` (as in SPDX), and a comma ends a group: `A or B, and C` is
 * `(A OR B) AND C`.
 */
export function dep5ToSpdx(text: string): string {
  const groups = text
    .split(/,\s*(?=and\s)/i)
    .map((group, index) => (index === 0 ? group : group.replace(/^and\s+/i, '')));
  const converted = groups.map((group) => convertTokens(tokenize(group)));
  if (converted.some((c) => c === undefined)) return licenseRef(text);
  return allOf(converted as string[]) as string;
}

/** An rpm License tag (SPDX, or Fedora's older short names with and/or) as an SPDX expression. */
export function rpmLicenseToSpdx(text: string): string {
  return convertTokens(tokenize(text)) ?? licenseRef(text);
}

/** The declared licenses of a parsed package, as stored on `Package.licenses`. */
export function declaredLicenses(
  parsed:
    | { format: 'deb'; deb: { copyrightLicenses?: string[] } }
    | { format: 'rpm'; rpm: { license: string } },
): string[] {
  const raw = parsed.format === 'deb' ? (parsed.deb.copyrightLicenses ?? []) : [parsed.rpm.license];
  const convert = parsed.format === 'deb' ? dep5ToSpdx : rpmLicenseToSpdx;
  const result: string[] = [];
  for (const text of raw) {
    if (text.trim() === '') continue;
    const expression = convert(text);
    if (!result.includes(expression)) result.push(expression);
  }
  return result;
}
