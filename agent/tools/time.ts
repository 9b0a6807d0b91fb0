import { z } from 'zod';
import { defineTool } from './types.js';

/** The live balance, read through the platform (a top-up shows at once). */
export const checkTimeBalance = defineTool(
  'check_time_balance',
  'How much talk time the user has left in this call. Use when the user asks about their time or minutes.',
  z.object({}),
  async (_args, deps) => {
    const info = await deps.platform.getSession(deps.timeSessionId);
    deps.call.budgetChanged(info);
    const minutes = Math.floor(info.budget.seconds_left / 60);
    const seconds = info.budget.seconds_left % 60;
    return {
      seconds_left: info.budget.seconds_left,
      say: minutes > 0 ? `about ${minutes} minute${minutes === 1 ? '' : 's'} left` : `${seconds} seconds left`,
    };
  },
);
