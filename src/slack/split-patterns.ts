// The scope modal's text field: one key or pattern per line (commas also
// accepted), as people type or paste them.
export function splitPatterns(text: string | null | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n|,(?![^\s])/)
    .map((p) => p.trim())
    .filter(Boolean);
}
