import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Credentials never reach a log line: these paths are censored
 * wherever a request, body or header object is logged.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["stripe-signature"]',
  'headers.authorization',
  '*.password',
  '*.access_token',
  '*.refresh_token',
  '*.livekit_token',
  '*.client_secret',
  '*.activation_code',
  '*.system_prompt',
  'password',
  'token',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
}

export type { Logger };
