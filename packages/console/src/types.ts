// Shapes of the console JSON API (packages/server/src/http/console/).

export interface ConsoleUser {
  id: number;
  username: string;
  role: 'admin' | 'member';
  apps: number[];
}

export interface SessionInfo {
  user: ConsoleUser;
  csrfToken: string;
}

export interface AppSettings {
  callbackUrl: string;
  [key: string]: unknown;
}

export interface AppSummary {
  sdkAppId: number;
  name: string;
  adminIdentifier: string;
  settings: AppSettings;
  createdAt: number;
}

export interface AppDetails extends AppSummary {
  secretKeyMasked: string;
}
