// Names this process in the claims it takes (which replica sent what).
import { hostname } from 'node:os';

export function tickOwner(): string {
  return `${hostname()}:${process.pid}`;
}
