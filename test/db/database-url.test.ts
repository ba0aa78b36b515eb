import { describe, expect, it } from 'vitest';
import { DatabaseUrlError, parseDatabaseUrl, redact } from '../../src/db/database-url.js';

describe('parseDatabaseUrl', () => {
  it('defaults to ./data/shipgate.db relative to the working directory', () => {
    expect(parseDatabaseUrl(undefined, '/srv/app')).toEqual({
      provider: 'sqlite',
      file: '/srv/app/data/shipgate.db',
      url: 'file:/srv/app/data/shipgate.db',
    });
  });
  it('accepts absolute SQLite paths and file:/// URLs', () => {
    expect(parseDatabaseUrl('file:/var/lib/sg.db')).toMatchObject({ file: '/var/lib/sg.db' });
    expect(parseDatabaseUrl('file:///var/lib/sg.db')).toMatchObject({ file: '/var/lib/sg.db' });
  });
  it('accepts postgres:// and postgresql://', () => {
    expect(parseDatabaseUrl('postgres://u@h/db').provider).toBe('postgresql');
    expect(parseDatabaseUrl('postgresql://u@h:5432/db').provider).toBe('postgresql');
  });
  it('refuses other schemes and empty paths with a message that shows the right form', () => {
    expect(() => parseDatabaseUrl('mysql://u@h/db')).toThrow(DatabaseUrlError);
    expect(() => parseDatabaseUrl('mysql://u@h/db')).toThrow(/file:\.\/data\/shipgate\.db/);
    expect(() => parseDatabaseUrl('file:')).toThrow(/names no file/);
    expect(() => parseDatabaseUrl('postgresql://')).toThrow(/postgresql:\/\/user:password@host/);
  });
  it('never shows a password', () => {
    expect(redact('postgresql://app:s3cret@db:5432/x')).toBe('postgresql://app:***@db:5432/x');
    expect(() => parseDatabaseUrl('mongodb://app:s3cret@db/x')).toThrow(/app:\*\*\*@db/);
  });
});
