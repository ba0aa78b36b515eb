// The trend as text (▁▂▃▄▅▆▇█), for the digest message itself and for places
// where a picture is not shown (notifications, screen readers, the CLI).

const BARS = '▁▂▃▄▅▆▇█';

/** One character per value; a gap is shown as a middle dot. `min`/`max` fix the scale (else the data's own). */
export function sparkline(values: (number | null)[], scale?: { min: number; max: number }): string {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return values.map(() => '·').join('');
  const min = scale?.min ?? Math.min(...known);
  const max = scale?.max ?? Math.max(...known);
  const span = max - min;
  return values
    .map((v) => {
      if (v === null) return '·';
      const level = span === 0 ? (max > 0 ? BARS.length - 1 : 0) : Math.round(((v - min) / span) * (BARS.length - 1));
      return BARS[Math.min(BARS.length - 1, Math.max(0, level))];
    })
    .join('');
}
