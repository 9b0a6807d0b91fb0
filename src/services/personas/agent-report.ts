import type { Platform } from '../../platform.js';
import type { ReportBody } from './agent-schemas.js';
import { providerCost } from './provider-cost.js';

/**
 * Stores the agent's end-of-call report with its session, once (a repeat stores nothing):
 * why it ended, model usage, latency, the provider cost computed here from the usage and
 * PROVIDER_PRICES, and the transcript only when AGENT_STORE_TRANSCRIPTS is on.
 */
export async function storeReport(platform: Platform, timeSessionId: string, body: ReportBody): Promise<boolean> {
  const usage = { llm: body.usage.llm ?? [], stt: body.usage.stt ?? [], tts: body.usage.tts ?? [] };
  const latency = {
    e2e_ms: body.latency?.e2e_ms ?? null,
    llm_ttft_ms: body.latency?.llm_ttft_ms ?? null,
    tts_ttfb_ms: body.latency?.tts_ttfb_ms ?? null,
  };
  const cost = providerCost(usage, platform.config.providerPrices);
  const transcript = platform.config.AGENT_STORE_TRANSCRIPTS && body.transcript ? JSON.stringify(body.transcript) : null;
  const rows = await platform.db.query(
    `INSERT INTO agent_reports (time_session_id, ended_reason, usage, latency, transcript, provider_cost_micros, unpriced_models, created_at)
     VALUES ($1, $2, $3::jsonb, $4::jsonb, $5::jsonb, $6, $7::text[], $8)
     ON CONFLICT (time_session_id) DO NOTHING RETURNING time_session_id`,
    [timeSessionId, body.ended_reason, JSON.stringify(usage), JSON.stringify(latency), transcript, cost.micros, cost.unpriced, platform.clock.now()],
  );
  return rows.length > 0;
}
