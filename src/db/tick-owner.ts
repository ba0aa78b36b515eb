// Names this process (host:pid) as the owner of the claims and leases its ticks
// take, so the rows say which replica sent what or holds which item.
import { hostname } from 'node:os';

export function tickOwner(): string {
  return `${hostname()}:${process.pid}`;
}
