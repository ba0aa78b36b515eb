// Project keys: 2–10 characters, an upper-case letter then letters or digits.
export const PROJECT_KEY_PATTERN = /^[A-Z][A-Z0-9]{1,9}$/;

/** Returns a message saying what is wrong with the key, or null when it is valid. */
export function projectKeyProblem(key: string): string | null {
  if (PROJECT_KEY_PATTERN.test(key)) return null;
  const hint = /^[a-z][a-z0-9]{1,9}$/.test(key) ? ` (did you mean ${key.toUpperCase()}?)` : '';
  return `"${key}" is not a valid project key${hint}: use 2–10 characters, an upper-case letter followed by upper-case letters or digits, e.g. PAY or WEB2.`;
}
