import { voice } from '@livekit/agents';
import type { AgentSessionInfo } from './platform/types.js';
import type { AnyTool } from './tools/types.js';

export const GREETING =
  'Greet the user first, in character: one or two short sentences, using their first name from your instructions, and invite them to begin.';

/**
 * The persona: the platform's assembled instructions (its rules first, then the persona,
 * then the session facts; users never see them) and exactly the tools this call offers.
 * It speaks first.
 */
export class PersonaAgent extends voice.Agent {
  constructor(info: AgentSessionInfo, tools: AnyTool[]) {
    super({ instructions: info.persona.instructions, tools });
  }

  override async onEnter(): Promise<void> {
    this.session.generateReply({ instructions: GREETING });
  }
}
