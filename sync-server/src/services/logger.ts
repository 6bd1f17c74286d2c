import pino, { type DestinationStream, type Logger } from 'pino'

/**
 * The server's structured log: one JSON object per line on stdout. Only fields the code chooses are
 * written; the redaction is a second line of defence should a password, token or cookie ever be passed.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'lagesbild' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['password', '*.password', 'token', '*.token', 'cookie', '*.cookie', 'headers', '*.headers', 'body', '*.body'], remove: true },
  }
  return destination ? pino(options, destination) : pino(options)
}
