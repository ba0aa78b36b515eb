// The CODEOWNERS-style file of owner rules: one rule a line, the pattern then
// its owners as @ids (`checkout::* @U024BE7LH @S0614TZR7`); blank lines and
// lines starting with # are comments, and a # word after the pattern starts a
// comment. As in CODEOWNERS, the last matching line wins, a pattern alone means
// no owners, and a space inside a pattern is written "\ " (a leading # as "\#").
// Every line is checked: one Shipgate cannot read is an error naming its number.
import { AppError } from './errors.js';
import { checkOwnerRules, isOwnerId, type OwnerRule } from './owners.js';

/** Reads the file; throws VALIDATION_FAILED naming the first bad line. */
export function parseOwnersFile(text: string): OwnerRule[] {
  const rules: OwnerRule[] = [];
  const lineOf: number[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    const n = i + 1;
    const tokens = tokenize(line);
    if (tokens.length === 0) continue;
    const [pattern, ...rest] = tokens;
    const owners: string[] = [];
    for (const token of rest) {
      if (token.raw.startsWith('#')) break;
      const id = token.raw.startsWith('@') ? token.raw.slice(1) : null;
      if (id === null || !isOwnerId(id)) {
        throw new AppError(
          'VALIDATION_FAILED',
          `Line ${n}: "${clip(token.raw)}" is not an owner. Write owners as Slack ids after an @: @U… or @W… for a person, @S… for a user group (e.g. checkout::* @U024BE7LH @S0614TZR7); a space inside a pattern is written "\\ ".`,
        );
      }
      owners.push(id);
    }
    rules.push({ pattern: pattern!.text, owners });
    lineOf.push(n);
  }
  return checkOwnerRules(rules, (i) => `Line ${lineOf[i]}`);
}

/** The rules as a file parseOwnersFile reads back to the same rules. */
export function formatOwnersFile(rules: readonly OwnerRule[]): string {
  return rules.map((r) => [escapePattern(r.pattern), ...r.owners.map((id) => `@${id}`)].join(' ')).join('\n') + (rules.length ? '\n' : '');
}

function escapePattern(pattern: string): string {
  const escaped = pattern.replace(/[\\ ]/g, (c) => `\\${c}`);
  return escaped.startsWith('#') ? `\\${escaped}` : escaped;
}

interface Token {
  /** As written (for owners and comments). */
  raw: string;
  /** With its escapes read (for the pattern). */
  text: string;
}

function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let raw = '';
  let text = '';
  let open = false;
  const end = () => {
    if (open) tokens.push({ raw, text });
    raw = '';
    text = '';
    open = false;
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === ' ' || ch === '\t') {
      end();
      continue;
    }
    // A whole-line comment: # as the first thing on the line.
    if (ch === '#' && tokens.length === 0 && !open) return [];
    open = true;
    if (ch === '\\' && i + 1 < line.length && (line[i + 1] === ' ' || line[i + 1] === '#' || line[i + 1] === '\\')) {
      raw += ch + line[i + 1]!;
      text += line[i + 1]!;
      i++;
      continue;
    }
    raw += ch;
    text += ch;
  }
  end();
  return tokens;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
