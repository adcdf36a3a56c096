import pino, { type DestinationStream, type Logger } from 'pino';

/** Query parameters that carry credentials; they never reach the logs. */
const SECRET_PARAMETERS = new Set(['usersig', 'sig', 'token', 'secret', 'key']);

/**
 * The URL with the values of credential parameters replaced. Names are compared as the query parser reads
 * them (percent-decoded, any case): `?user%73ig=...` authenticates like `?usersig=...`, so it is redacted too.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const parts = url.slice(q + 1).split('&');
  let changed = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    if (SECRET_PARAMETERS.has(decodedName(rawName).toLowerCase())) {
      parts[i] = `${rawName}=[redacted]`;
      changed = true;
    }
  }
  return changed ? `${url.slice(0, q)}?${parts.join('&')}` : url;
}

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
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
