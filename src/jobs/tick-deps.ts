// What a tick needs: the same shape whether cron, `shipgate tick` or a test calls it.
import type { AppDeps } from '../app-deps.js';

export type TickDeps = Pick<AppDeps, 'db' | 'notifier' | 'logger' | 'config'>;
