import { cli, defineAgent, type JobContext, type JobProcess, ServerOptions } from '@livekit/agents';
import * as silero from '@livekit/agents-plugin-silero';
import { fileURLToPath } from 'node:url';
import { AgentConfigError, loadAgentConfig, requireForWorker } from './config.js';
import { acceptPersonaJob, runJob } from './job.js';

/**
 * The MindBot voice agent worker. `npm run agent` registers it with LiveKit under
 * LIVEKIT_AGENT_NAME (explicit dispatch: only persona rooms whose token names it get it);
 * `npm run agent -- console <slug>` talks to a persona in the terminal instead.
 */
export default defineAgent({
  // Once per job process: the VAD model loads before any job is assigned to it.
  prewarm: async (proc: JobProcess) => {
    proc.userData.vad = await silero.VAD.load();
  },
  entry: async (ctx: JobContext) => {
    await runJob(ctx);
  },
});

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const config = loadAgentConfig();
    if (process.argv[2] === 'console') {
      const { runConsole } = await import('./console.js');
      process.exitCode = await runConsole(config, process.argv.slice(3));
    } else {
      requireForWorker(config);
      if (process.argv.length < 3) process.argv.push('start');
      cli.runApp(
        new ServerOptions({
          agent: fileURLToPath(import.meta.url),
          agentName: config.LIVEKIT_AGENT_NAME,
          wsURL: config.LIVEKIT_URL,
          apiKey: config.LIVEKIT_API_KEY,
          apiSecret: config.LIVEKIT_API_SECRET,
          port: config.AGENT_PORT,
          ...(config.AGENT_IDLE_PROCESSES ? { numIdleProcesses: config.AGENT_IDLE_PROCESSES } : {}),
          requestFunc: acceptPersonaJob,
        }),
      );
    }
  } catch (err) {
    if (!(err instanceof AgentConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
