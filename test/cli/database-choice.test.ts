// Which database an administration command uses, and when it may create one:
// the pure decision (the file system and the data directory passed in).
import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/db/database-url.js';
import { decideDatabase, isInside, parseDatabaseOption, SERVER_DATA_DIR } from '../../src/cli/database-choice.js';

const DATA = '/srv/shipgate/data';
const none = () => false;
const all = () => true;

describe('decideDatabase', () => {
  it('uses an SQLite file that exists, wherever it is', () => {
    const configured = parseDatabaseUrl(undefined, '/home/me/elsewhere');
    const d = decideDatabase({ configured, configuredExplicitly: false }, '/home/me/elsewhere', all, DATA);
    expect(d).toEqual({ ok: true, target: configured, creates: false });
  });

  it('refuses to create the default ./data/shipgate.db outside the data directory, saying why and what works', () => {
    const configured = parseDatabaseUrl(undefined, '/home/me/elsewhere');
    const d = decideDatabase({ configured, configuredExplicitly: false }, '/home/me/elsewhere', none, DATA);
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(d.message).toContain('No Shipgate database at /home/me/elsewhere/data/shipgate.db');
    expect(d.message).toContain(`outside the server's data directory (${DATA})`);
    expect(d.message).toMatch(
      /DATABASE_URL is not set, so the default file:\.\/data\/shipgate\.db is taken relative to the current directory \(\/home\/me\/elsewhere\)/,
    );
    expect(d.message).toMatch(/--database <file or URL>/);
  });

  it('refuses a DATABASE_URL naming a file that does not exist, and says it was DATABASE_URL', () => {
    const configured = parseDatabaseUrl('file:/tmp/typo/shipgate.db');
    const d = decideDatabase({ configured, configuredExplicitly: true }, '/', none, DATA);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.message).toMatch(/DATABASE_URL names \/tmp\/typo\/shipgate\.db, which does not exist yet/);
  });

  it('creates a new file inside the data directory (a fresh clone, before the server first started)', () => {
    const configured = parseDatabaseUrl(undefined, '/srv/shipgate');
    const d = decideDatabase({ configured, configuredExplicitly: false }, '/srv/shipgate', none, DATA);
    expect(d).toEqual({ ok: true, target: configured, creates: true });
  });

  it('creates what --database names, and --database wins over DATABASE_URL', () => {
    const configured = parseDatabaseUrl('file:/var/lib/shipgate.db');
    const d = decideDatabase({ configured, configuredExplicitly: true, option: 'new.db' }, '/home/me', none, DATA);
    expect(d).toEqual({ ok: true, target: parseDatabaseUrl('file:/home/me/new.db'), creates: true });
  });

  it('never refuses PostgreSQL (nothing is created on disk)', () => {
    const configured = parseDatabaseUrl('postgresql://u:p@db:5432/shipgate');
    expect(decideDatabase({ configured, configuredExplicitly: true }, '/', none, DATA)).toEqual({
      ok: true,
      target: configured,
      creates: false,
    });
  });
});

describe('parseDatabaseOption', () => {
  it('takes a URL or a path to an SQLite file', () => {
    expect(parseDatabaseOption('file:./x.db', '/w')).toEqual(parseDatabaseUrl('file:/w/x.db'));
    expect(parseDatabaseOption('/abs/x.db', '/w')).toEqual(parseDatabaseUrl('file:/abs/x.db'));
    expect(parseDatabaseOption('rel/x.db', '/w')).toEqual(parseDatabaseUrl('file:/w/rel/x.db'));
    expect(parseDatabaseOption('postgres://u@h/db', '/w')).toMatchObject({ provider: 'postgresql', url: 'postgres://u@h/db' });
  });

  it('refuses a URL of another database, naming what works', () => {
    expect(() => parseDatabaseOption('mysql://h/db', '/w')).toThrow(/must start with file: .* or postgresql:\/\//);
  });
});

describe('isInside', () => {
  it('is true only strictly under the directory', () => {
    expect(isInside('/srv/shipgate/data/shipgate.db', DATA)).toBe(true);
    expect(isInside('/srv/shipgate/data-old/shipgate.db', DATA)).toBe(false);
    expect(isInside('/srv/shipgate/shipgate.db', DATA)).toBe(false);
    expect(isInside(DATA, DATA)).toBe(false);
  });

  it("the server's data directory is the installation's data/", () => {
    expect(SERVER_DATA_DIR).toMatch(/[/\\]data$/);
  });
});
