import pino, { type DestinationStream, type Logger } from 'pino';

/** Query parameters and headers that carry credentials; they never reach the logs. */
const SECRET_QUERY = /([?&](?:usersig|sig|token|secret|key)=)[^&]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[redacted]');
}

/** The server's logger; `destination` (default stdout) lets tests read the lines. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'pushline' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        '*.secretKey',
        '*.password',
        '*.privateKey',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req(req: { method: string; url: string; ip?: string }) {
        return { method: req.method, url: redactUrl(req.url), remoteAddress: req.ip };
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
