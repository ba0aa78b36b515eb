// How a fraction reads as a percentage, wherever people see one: the reasons
// built here, the Slack messages, the CLI. One rule, so no surface can show a
// pass rate meeting a gate it misses:
// - a measured share (pass rate, coverage) is cut, never rounded up, to one
//   decimal: 189/200 = 0.945 is "94.5%", 0.9499 is "94.9%", only 1 is "100%",
//   only 0 is "0%" (a sliver above 0 is "<0.1%");
// - a gate is never shown lower than it is: up to two decimals, rounded up.
// So shown share ≤ share < gate ≤ shown gate whenever a gate is missed.
// It lives in the domain because reason messages need it and the domain imports
// nothing else from src/; src/messages/format.ts hands it to every surface.

/** A measured share in tenths of a percent, cut toward zero: the number a shown percentage is made of (0.945 → 945). */
export function shareInTenths(fraction: number): number {
  // Twelve significant digits drop binary noise (0.945 × 1000 is 944.999…) and
  // keep every real difference between counts below a billion.
  return Math.floor(Number((fraction * 1000).toPrecision(12)));
}

/** A measured share as a percentage: "94.5%", "33.3%", "100%", "0%", "<0.1%". */
export function formatShare(fraction: number): string {
  return tenthsText(shareInTenths(fraction), fraction);
}

/** `part` of `whole` (counts, computed exactly) as a measured share; "n/a" when the whole is 0. */
export function formatRatio(part: number, whole: number): string {
  if (whole <= 0) return 'n/a';
  return tenthsText(Math.floor((part * 1000) / whole), part / whole);
}

/** A gate (a configured fraction) as a percentage, rounded up to two decimals: 0.95 → "95%", 0.995 → "99.5%". */
export function formatGate(fraction: number): string {
  const hundredths = Math.ceil(Number((fraction * 10_000).toPrecision(12)));
  return `${hundredths / 100}%`;
}

function tenthsText(tenths: number, fraction: number): string {
  if (fraction >= 1) return '100%';
  if (fraction <= 0) return '0%';
  // Just below 1 is never "100%"; just above 0 is never "0%".
  const shown = Math.min(tenths, 999);
  if (shown <= 0) return '<0.1%';
  return `${shown % 10 === 0 ? shown / 10 : (shown / 10).toFixed(1)}%`;
}
