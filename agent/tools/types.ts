import { llm } from '@livekit/agents';
import type { z } from 'zod';
import type { AgentSessionInfo, PlatformClient } from '../platform/types.js';

/** What a tool may use: the platform, the call's own services, and nothing global. */
export interface ToolDeps {
  platform: PlatformClient;
  timeSessionId: string;
  /** The session as it was when the call started (persona, user). */
  info: AgentSessionInfo;
  /** Lets the call speak later (timers, reminders) and follow a changed budget. */
  call: CallServices;
  /** One completion from the configured LLM, for tools that transform text (translation). */
  complete: (system: string, user: string) => Promise<string>;
  now: () => Date;
  random: () => number;
}

export type TimerAction = { announce: string } | { endCall: 'sleep_timer' };

export interface CallServices {
  /** Acts after `seconds` unless the call ended first: speaks (from instructions) or ends the call. */
  after(seconds: number, action: TimerAction): () => void;
  /** The budget was read anew (a tool call may follow a top-up). */
  budgetChanged(info: AgentSessionInfo): void;
  /** Per-call state a tool keeps between its calls (scores, lists, story state). */
  state<T>(key: string, init: () => T): T;
  /** Sends a file to the user's app (a calendar, a diagram, a transcript); false when there is no app to send to. */
  deliver(item: Delivery): Promise<boolean>;
  /** The conversation so far, as text turns. */
  transcript(): { role: 'user' | 'assistant'; text: string }[];
}

/** A file for the user's app: sent over the room's data channel on topic `mindbot.delivery`. */
export interface Delivery {
  name: string;
  mime: string;
  content: string;
}

// biome-ignore lint/suspicious/noExplicitAny: the framework's tool type is generic over its schema
export type AnyTool = llm.FunctionTool<any, any, any>;
export type ToolFactory = (deps: ToolDeps) => AnyTool;

/**
 * One tool, named as in the persona catalogue. Whatever fails inside answers the model
 * with a sentence it can say aloud, never a crash or a stack.
 */
export function defineTool<S extends z.ZodObject<z.ZodRawShape>>(
  name: string,
  description: string,
  parameters: S,
  run: (args: z.infer<S>, deps: ToolDeps) => Promise<unknown> | unknown,
): ToolFactory {
  return (deps) =>
    llm.tool({
      name,
      description,
      parameters,
      execute: async (args: z.infer<S>) => {
        try {
          return await run(args, deps);
        } catch (err) {
          if (err instanceof SayableError) throw new llm.ToolError(err.message);
          throw new llm.ToolError(`The ${name.replaceAll('_', ' ')} tool is not working right now; tell the user briefly and carry on without it.`);
        }
      },
    });
}

/** A failure whose message is meant for the user (the model may say it as is). */
export class SayableError extends Error {}
