// The forecast in one line, the same on every surface (card, digest, CLI):
// "At this pace: GO around Dec 14, 85% by Dec 17 (from 12 days of history)".
// Plain text built from dates, numbers and fixed words only (no data text), so
// it is safe as Slack mrkdwn too. Said only while the gate is failing: a
// shippable milestone needs no forecast, and a forecast that cannot be made is
// said only when history is the reason (too little of it, or no progress in it);
// the other reasons already show why the gate holds.
import type { Forecast, ForecastUnavailable } from '../domain/forecast.js';
import type { Verdict } from '../domain/types.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function forecastLine(r: {
  verdict: Verdict;
  forecast?: Forecast | null;
  forecastUnavailable?: ForecastUnavailable | null;
}): string | null {
  if (r.verdict === 'GO' || r.verdict === 'GO_WITH_RISKS') return null;
  const f = r.forecast;
  if (f) {
    const { remaining, days } = f.basis;
    if (remaining.blockers + remaining.failing + remaining.untested === 0) return null;
    const year = f.basis.to.slice(0, 4);
    return `At this pace: GO around ${shortDay(f.p50, year)}, 85% by ${shortDay(f.p85, year)} (from ${days} ${days === 1 ? 'day' : 'days'} of history)`;
  }
  const gap = r.forecastUnavailable;
  if (gap && (gap.code === 'THIN_HISTORY' || gap.code === 'NO_PROGRESS')) return `No forecast: ${lowerFirst(gap.message)}`;
  return null;
}

/** "Dec 14", with the year when it is not `year`: "Jan 3, 2027". */
export function shortDay(day: string, year: string): string {
  const [y, m, d] = day.split('-');
  return `${MONTHS[Number(m) - 1]} ${Number(d)}${y === year ? '' : `, ${y}`}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
