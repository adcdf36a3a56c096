// The troubleshooter's checks: the questions Tencent's push FAQ makes a person answer by hand ("is a
// certificate configured? did the device report a token after login, with which certificate? did the user
// log out or get kicked? is the app in the foreground? receive option or DND? what did the vendor answer?
// rate limited?"), each answered from what Pushline knows. Pure: troubleshoot.ts loads the facts.
import type { AppSettings } from '../../apps/settings.js';
import { dndFeatureEnabled } from '../../apps/settings.js';
import type { InstanceInfo, PushBinding } from '../../gateway/sessions.js';
import { dndActive, type GlobalDnd } from '../../messaging/receive-options.js';
import { explainAnswer } from '../../push/answers/vendor-answers.js';
import type { CertificateInfo } from '../../push/certificates/types.js';
import { NO_PUSH_REASONS } from '../../push/decide.js';
import { isLoss, lossCode, POST_SEND_LOSS_INFO } from '../../push/outcomes/loss.js';
import { explainSkipReason } from '../../push/push-reasons.js';

export type CheckStatus = 'ok' | 'problem' | 'warning' | 'info';

export interface Check {
  id: string;
  title: string;
  status: CheckStatus;
  /** What Pushline found, in plain words. */
  detail: string;
  /** What to do about it (problems and warnings). */
  fix?: string;
}

/** A recent push to the user, as the troubleshooter shows it. */
export interface PushSummary {
  pushId: string;
  msgKey: string | null;
  taskId: string | null;
  createdAt: number;
  instanceId: string | null;
  vendor: string | null;
  certificateId: number | null;
  token: string | null;
  skipReason: string | null;
  /** The last vendor answer stage (sent, invalid-token, rejected, credential-error, failed, retry) and code. */
  answer: { stage: string; code: string | null; at: number } | null;
  retries: { code: string | null; at: number }[];
  receipt: 'delivered' | 'undelivered' | 'clicked' | null;
}

export interface TroubleshootFacts {
  userId: string;
  accountExists: boolean;
  kickedAt: number | null;
  settings: AppSettings;
  certificates: CertificateInfo[];
  instances: (InstanceInfo & { bindings: PushBinding[] })[];
  dnd: GlobalDnd | undefined;
  /** Receive options other than "receive" (target -> opt). */
  mutedTargets: { target: string; opt: number }[];
  pushes: PushSummary[];
  now: number;
}

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';

export function certificateLabel(c: CertificateInfo): string {
  const env = c.environment ? ` ${c.environment}` : '';
  return `certificate ${c.id} (${c.vendor}${env}${c.kind === 'voip' ? ' VoIP' : ''}, "${c.name}")`;
}

const OPT_MEANING: Record<number, string> = {
  1: 'receive nothing',
  2: 'receive without push',
  3: 'receive without push except @ messages',
  4: 'receive only @ messages',
};

export function runChecks(f: TroubleshootFacts): Check[] {
  return [
    accountCheck(f),
    certificateCheck(f),
    loginCheck(f),
    tokenCheck(f),
    foregroundCheck(f),
    receiveOptionsCheck(f),
    vendorAnswerCheck(f),
    rateLimitCheck(f),
  ];
}

function accountCheck(f: TroubleshootFacts): Check {
  const title = 'The user exists';
  if (f.accountExists)
    return { id: 'account', title, status: 'ok', detail: `"${f.userId}" is an account of this app.` };
  return {
    id: 'account',
    title,
    status: f.instances.length > 0 ? 'warning' : 'problem',
    detail: `There is no account "${f.userId}" in this app${f.instances.length > 0 ? ', although it logged in' : ''}.`,
    fix: 'Check the UserID (it is case-sensitive) and the SDKAppID; import the account with v4/im_open_login_svc/account_import.',
  };
}

function certificateCheck(f: TroubleshootFacts): Check {
  const title = 'A push certificate is configured';
  const active = f.certificates.filter((c) => c.status === 'active');
  if (f.certificates.length === 0) {
    return {
      id: 'certificate',
      title,
      status: 'problem',
      detail: 'This app has no push certificate, so no device can get an offline push.',
      fix: 'Add the certificate of each vendor your app uses on the Push certificates page; the app reports its ID (businessID) with the token.',
    };
  }
  const paused = f.certificates.filter((c) => c.status === 'paused');
  return {
    id: 'certificate',
    title,
    status: active.length === 0 ? 'problem' : paused.length > 0 ? 'warning' : 'ok',
    detail: [
      `${f.certificates.length} certificate${f.certificates.length === 1 ? '' : 's'}: ${f.certificates
        .map(
          (c) =>
            `${c.id} ${c.vendor}${c.environment ? ` ${c.environment}` : ''}${c.kind === 'voip' ? ' VoIP' : ''}`,
        )
        .join(', ')}.`,
      ...paused.map((c) => `Certificate ${c.id} is paused${c.pausedReason ? `: ${c.pausedReason}` : ''}.`),
    ].join(' '),
    ...(paused.length > 0
      ? {
          fix: 'Fix the paused credential (upload a working one) and resume it on the Push certificates page.',
        }
      : {}),
  };
}

function loginCheck(f: TroubleshootFacts): Check {
  const id = 'login';
  const title = 'Logged in (not logged out or kicked)';
  if (f.instances.length === 0) {
    return {
      id,
      title,
      status: 'problem',
      detail: `"${f.userId}" has never logged in on any device (or not in the last 7 days): there is no device to push to.`,
      fix: 'Log in with the SDK (login with a valid UserSig) on the device.',
    };
  }
  const live = f.instances.filter((i) => i.state !== 'Offline');
  if (live.length > 0) {
    return {
      id,
      title,
      status: 'ok',
      detail: `${live.length} logged-in device${live.length === 1 ? '' : 's'}: ${live.map((i) => `${i.platform} ${i.instanceId} (${i.state})`).join(', ')}.`,
    };
  }
  const lastSeen = Math.max(...f.instances.map((i) => i.lastSeenAt));
  const kicked = f.kickedAt !== null && f.kickedAt * 1000 >= lastSeen - 1000;
  return {
    id,
    title,
    status: 'problem',
    detail: kicked
      ? `"${f.userId}" was kicked by the administrator at ${when(f.kickedAt! * 1000)}: every device is logged out and its push token removed. A user who was kicked gets no offline pushes.`
      : `Every device of "${f.userId}" is logged out (last seen ${when(lastSeen)}): the app called logout, or a newer login on another device evicted it under the multi-device login policy. A user who logged out gets no offline pushes.`,
    fix: 'Log in again in the app (and report the token again). If the app logs out when it goes to the background, remove that logout: only a logged-in user gets offline pushes.',
  };
}

function tokenCheck(f: TroubleshootFacts): Check {
  const id = 'token';
  const title = 'A push token was reported after login';
  const live = f.instances.filter((i) => i.state !== 'Offline');
  if (live.length === 0) {
    return { id, title, status: 'info', detail: 'No logged-in device: nothing to check.' };
  }
  const byId = new Map(f.certificates.map((c) => [c.id, c]));
  const lines: string[] = [];
  let problem = false;
  for (const i of live) {
    const vendorBindings = i.bindings.filter((b) => b.tokenType === 0 || b.tokenType === 2);
    if (vendorBindings.length === 0) {
      problem = true;
      // A vendor that refused the token makes Pushline drop the binding: say so rather than "not reported".
      const refused = f.pushes.find(
        (p) => p.instanceId === i.instanceId && p.answer?.stage === 'invalid-token',
      );
      lines.push(
        refused
          ? `${i.platform} ${i.instanceId}: no token any more: the vendor refused the last one (${refused.answer!.code}) at ${when(refused.answer!.at)} and Pushline removed the binding. The device reports a token again at its next setOfflinePushConfig / setAPNS.`
          : `${i.platform} ${i.instanceId}: no token. ${NO_PUSH_REASONS['no-binding']}`,
      );
      continue;
    }
    for (const b of vendorBindings) {
      const cert = byId.get(b.certificateId);
      const what = b.tokenType === 2 ? 'VoIP token' : 'token';
      if (!cert) {
        problem = true;
        lines.push(
          `${i.platform} ${i.instanceId}: ${what} reported with certificate ID ${b.certificateId}, which does not exist. ${NO_PUSH_REASONS['certificate-missing']}`,
        );
        continue;
      }
      const before =
        b.reportedAt < i.loggedInAt ? ' (before the current login; kept from an earlier one)' : '';
      lines.push(
        `${i.platform} ${i.instanceId}: ${what} reported at ${when(b.reportedAt)}${before} with ${certificateLabel(cert)}${cert.status === 'paused' ? ' — paused' : ''}.`,
      );
      if (cert.status === 'paused') problem = true;
    }
  }
  return {
    id,
    title,
    status: problem ? 'problem' : 'ok',
    detail: lines.join('\n'),
    ...(problem
      ? {
          fix: 'After login, call setOfflinePushConfig (Android) / setAPNS (iOS) with the certificate ID shown on the Push certificates page and the vendor token.',
        }
      : {}),
  };
}

function foregroundCheck(f: TroubleshootFacts): Check {
  const id = 'foreground';
  const title = 'The app is in the background';
  const live = f.instances.filter((i) => i.state !== 'Offline');
  if (live.length === 0)
    return { id, title, status: 'info', detail: 'No logged-in device: nothing to check.' };
  const front = live.filter((i) => i.state === 'Online' && !i.background);
  if (front.length === 0) {
    return {
      id,
      title,
      status: 'ok',
      detail: 'Every logged-in device is in the background or killed: they get offline pushes.',
    };
  }
  return {
    id,
    title,
    status: 'warning',
    detail: `${front.map((i) => `${i.platform} ${i.instanceId}`).join(', ')}: ${NO_PUSH_REASONS['instance-foreground']}`,
    fix: 'This is expected while the app is open. If the app is really in the background, make it call doBackground when it leaves the foreground.',
  };
}

function receiveOptionsCheck(f: TroubleshootFacts): Check {
  const id = 'receive-options';
  const title = 'Receive options and do-not-disturb allow pushes';
  const lines: string[] = [];
  const nowS = Math.floor(f.now / 1000);
  if (f.dnd && dndActive(f.dnd, nowS)) {
    lines.push(
      `Global do-not-disturb is on now (${f.dnd.repeat}, from ${when(f.dnd.startTime * 1000)} for ${f.dnd.duration} s). ${NO_PUSH_REASONS['dnd-window']}`,
    );
  }
  for (const m of f.mutedTargets.slice(0, 10)) {
    const [kind, ...rest] = m.target.split('_');
    const who = kind === 'group' ? `group ${rest.join('_')}` : `messages from ${rest.join('_')}`;
    lines.push(`Receive option for ${who}: ${OPT_MEANING[m.opt] ?? `option ${m.opt}`}.`);
  }
  if (f.mutedTargets.length > 10) lines.push(`…and ${f.mutedTargets.length - 10} more.`);
  const featureOff = dndFeatureEnabled(f.settings) ? '' : " The app's global do-not-disturb feature is off.";
  if (lines.length === 0) {
    return {
      id,
      title,
      status: 'ok',
      detail: `No receive option or do-not-disturb window stops pushes.${featureOff}`,
    };
  }
  return {
    id,
    title,
    status: 'warning',
    detail: lines.join('\n') + featureOff,
    fix: "These are the user's own choices (setC2CReceiveMessageOpt, setGroupReceiveMessageOpt, setAllReceiveMessageOpt). REST sends ignore them unless SendMsgControl contains WithMuteNotifications.",
  };
}

/** The plain explanation of one push's result. */
export function explainPush(
  p: PushSummary,
  certificates: CertificateInfo[],
): { status: CheckStatus; text: string; fix?: string } {
  if (p.skipReason) {
    return {
      status: isLoss(p.skipReason) ? 'problem' : 'info',
      text: `Not sent (${p.skipReason}): ${explainSkipReason(p.skipReason)}`,
      ...(isLoss(p.skipReason)
        ? {
            fix: `normal_push_loss counts it as ${lossCode(p.skipReason).code} "${lossCode(p.skipReason).info}".`,
          }
        : {}),
    };
  }
  const cert = certificates.find((c) => c.id === p.certificateId);
  const a = p.answer;
  if (!a) return { status: 'info', text: 'Queued: no vendor answer yet.' };
  if (a.stage === 'sent') {
    const receipt = p.receipt ? ` The device receipt says: ${p.receipt}.` : '';
    return { status: 'ok', text: `The vendor accepted it.${receipt}` };
  }
  if (a.stage === 'retry') {
    const meaning = explainAnswer(p.vendor ?? cert?.vendor, a.code, 'retry')?.meaning;
    return {
      status: 'warning',
      text: `The vendor answered ${a.code ?? 'an error'}${meaning ? ` (${meaning})` : ''}; Pushline retries it.`,
    };
  }
  if (cert?.vendor === 'apns' && a.code === 'BadDeviceToken' && cert.environment) {
    const other = cert.environment === 'production' ? 'development' : 'production';
    const hint =
      cert.environment === 'production'
        ? 'A development build (run from Xcode) has a development token; it only works with a development certificate.'
        : 'A TestFlight or App Store build has a production token; it only works with a production certificate.';
    return {
      status: 'problem',
      text: `APNs answered BadDeviceToken: a ${other} token was sent with a ${cert.environment} certificate (${certificateLabel(cert)}). ${hint} Pushline removed the binding.`,
      fix: `Have the ${other} build report its token with the ID of a ${other} certificate (add one if there is none), or test with a ${cert.environment} build.`,
    };
  }
  // What the code means and what to do, from the vendor answers table (push/answers/vendor-answers.ts).
  const explained = explainAnswer(p.vendor ?? cert?.vendor, a.code, a.stage);
  if (explained) {
    return {
      status: 'problem',
      text: `The vendor answered ${a.code} (${a.stage}): ${explained.meaning}.`,
      fix: explained.action,
    };
  }
  const info = POST_SEND_LOSS_INFO[a.stage];
  return {
    status: 'problem',
    text: `The vendor answered ${a.code ?? a.stage} (${a.stage}${info ? `: ${info}` : ''}).`,
    ...(a.stage === 'credential-error'
      ? {
          fix: 'The certificate or key is wrong, expired or revoked: upload a working one and resume the certificate.',
        }
      : a.stage === 'invalid-token'
        ? { fix: 'The device must report its current token again (it does at its next login).' }
        : {}),
  };
}

function vendorAnswerCheck(f: TroubleshootFacts): Check {
  const id = 'vendor-answer';
  const title = 'The vendor accepted the last pushes';
  if (f.pushes.length === 0) {
    return {
      id,
      title,
      status: 'info',
      detail:
        'No push to this user in the kept traces (7 days) matches: the message may not have been sent, or no device was logged in when it was.',
    };
  }
  const explained = f.pushes.slice(0, 5).map((p) => ({ p, e: explainPush(p, f.certificates) }));
  const worst =
    explained.find((x) => x.e.status === 'problem') ?? explained.find((x) => x.e.status === 'warning');
  const latest = explained[0]!;
  const lines = explained.map(
    ({ p, e }) => `${when(p.createdAt)} push ${p.pushId}${p.vendor ? ` (${p.vendor})` : ''}: ${e.text}`,
  );
  return {
    id,
    title,
    status: worst ? worst.e.status : latest.e.status === 'ok' ? 'ok' : 'info',
    detail: lines.join('\n'),
    ...(worst?.e.fix ? { fix: worst.e.fix } : {}),
  };
}

function isRateLimit(code: string | null): boolean {
  return code !== null && /429|TooManyRequests|TooManyProviderTokenUpdates|quota|rate/i.test(code);
}

function rateLimitCheck(f: TroubleshootFacts): Check {
  const id = 'rate-limit';
  const title = 'No vendor rate limit';
  const limited = f.pushes.flatMap((p) =>
    [...p.retries, ...(p.answer ? [p.answer] : [])].filter((r) => isRateLimit(r.code)).map((r) => ({ p, r })),
  );
  if (limited.length === 0) {
    return {
      id,
      title,
      status: 'ok',
      detail: 'No recent push to this user was refused for a rate limit or quota.',
    };
  }
  const final = limited.filter(
    ({ p }) => p.answer && isRateLimit(p.answer.code) && p.answer.stage !== 'retry',
  );
  return {
    id,
    title,
    status: final.length > 0 ? 'problem' : 'warning',
    detail: `The vendor answered ${[...new Set(limited.map(({ r }) => r.code))].join(', ')} ${limited.length} time${limited.length === 1 ? '' : 's'}: pushes were delayed and retried${final.length > 0 ? `; ${final.length} gave up` : ''}.`,
    fix: 'Vendor quotas limit pushes per app and day or per second; spread large sends out, or ask the vendor for a higher quota.',
  };
}
