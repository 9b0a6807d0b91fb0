import type { ServiceModule } from '../service.js';
import { timeRoutes } from './routes.js';
import { startSweeper } from './sweeper.js';

/** Time service (port 8001): the minute ledger, time cards, voice-session billing. */
export const timeService: ServiceModule = {
  name: 'time',
  title: 'MindBot Time',
  port: (c) => c.TIME_PORT,
  routes: (platform) => [timeRoutes(platform)],
  workers: (platform) => [startSweeper(platform)],
};
