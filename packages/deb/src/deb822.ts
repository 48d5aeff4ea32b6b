// deb822 (control file, Packages, Release) parsing and writing, by hand: the format is tiny.
// Representation: a field is [name, value]; `value` is the text after "Name:" with the separating
// blanks and trailing whitespace removed, and continuation lines kept verbatim WITH their leading
// space/tab, joined by "\n" ("synopsis\n long text\n ."). A value that starts with "\n" had an
// empty first line (e.g. "MD5Sum:\n <hash> ..."). formatDeb822Stanza writes exactly that back.

export type DebField = readonly [name: string, value: string];

export class Deb822SyntaxError extends Error {
  override readonly name = 'Deb822SyntaxError';
  readonly line: number;

  constructor(line: number, reason: string) {
    super(`line ${line}: ${reason}`);
    this.line = line;
  }
}

// deb822(5): field names are US-ASCII printable, not starting with '#' or '-', without ':'.
const FIELD_NAME = /^[!-9;-~][!-9;-~]*$/;
const FIELD_LINE = /^([^\s:#-][^\s:]*):(.*)$/;

function isBlank(line: string): boolean {
  return /^[ \t]*$/.test(line);
}

function trimEnd(line: string): string {
  return line.replace(/[ \t\r]+$/, '');
}

/** Parses every stanza of a deb822 text. Blank (or whitespace-only) lines separate stanzas. */
export function parseDeb822(text: string): DebField[][] {
  const stanzas: DebField[][] = [];
  let fields: Array<[string, string]> = [];
  let seen = new Set<string>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();

  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = trimEnd(raw);
    if (isBlank(line)) {
      if (fields.length > 0) stanzas.push(fields);
      fields = [];
      seen = new Set();
      return;
    }
    if (line.startsWith('#')) return;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      const last = fields.at(-1);
      if (!last) throw new Deb822SyntaxError(lineNo, 'continuation line without a field before it');
      last[1] = `${last[1]}\n${line}`;
      return;
    }
    const match = FIELD_LINE.exec(line);
    if (!match) throw new Deb822SyntaxError(lineNo, 'not a "Name: value" field line');
    const name = match[1] as string;
    const key = name.toLowerCase();
    if (seen.has(key)) throw new Deb822SyntaxError(lineNo, `duplicate field ${name}`);
    seen.add(key);
    fields.push([name, (match[2] as string).replace(/^[ \t]+/, '')]);
  });
  if (fields.length > 0) stanzas.push(fields);
  return stanzas;
}

/** Parses a text that must hold exactly one stanza (a control file, a Release file). */
export function parseDeb822Stanza(text: string): DebField[] {
  const stanzas = parseDeb822(text);
  if (stanzas.length !== 1) {
    throw new Deb822SyntaxError(0, `expected one stanza, found ${stanzas.length}`);
  }
  return stanzas[0] as DebField[];
}

/** The value of a field, by case-insensitive name. */
export function getField(fields: readonly DebField[], name: string): string | undefined {
  const key = name.toLowerCase();
  return fields.find(([fieldName]) => fieldName.toLowerCase() === key)?.[1];
}

/** Throws TypeError when a field could not be written back as itself (bad name, stanza break). */
export function assertWritableField([name, value]: DebField): void {
  if (!FIELD_NAME.test(name) || name.startsWith('#') || name.startsWith('-')) {
    throw new TypeError(`invalid deb822 field name ${JSON.stringify(name)}`);
  }
  const [first, ...continuation] = value.split('\n');
  if (/[\r]/.test(value) || (first !== undefined && first !== first.trim())) {
    throw new TypeError(`field ${name} has a value with surrounding whitespace or CR`);
  }
  for (const line of continuation) {
    if (!/^[ \t]/.test(line) || isBlank(line) || line !== trimEnd(line)) {
      throw new TypeError(`field ${name} has a continuation line that is blank or lacks a leading space`);
    }
  }
}

/** Writes one stanza: every line ends with "\n", no blank line after it. */
export function formatDeb822Stanza(fields: readonly DebField[]): string {
  return fields
    .map((field) => {
      assertWritableField(field);
      const [name, value] = field;
      if (value === '') return `${name}:\n`;
      return value.startsWith('\n') ? `${name}:${value}\n` : `${name}: ${value}\n`;
    })
    .join('');
}
