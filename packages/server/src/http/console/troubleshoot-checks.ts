// The troubleshooter's checks: the questions Tencent's push FAQ makes a person answer by hand ("is a
// certificate configured? did the device report a token after login, with which certificate? did the user
// log out or get kicked? is the app in the foreground? receive option or DND? what did the vendor answer?
// rate limited?"), each answered from what Pushline knows. Pure: troubleshoot.ts loads the facts.
// Every text is a message key with parameters (troubleshoot-messages.ts), so that the console shows it in
// its reader's language; the English text fields are written from the same messages.
import type {
  TroubleshootCheck as Check,
  CheckStatus,
  PushExplanation,
  PushSummary,
} from '@pushline/contracts';
import type { AppSettings } from '../../apps/settings.js';
import { dndFeatureEnabled } from '../../apps/settings.js';
import type { CertificateInfo } from '../../certificates/types.js';
import type { InstanceInfo, PushBinding } from '../../devices/sessions.js';
import { dndActive, type GlobalDnd } from '../../messaging/receive-options.js';
import { explainAnswer } from '../../push/answers/vendor-answers.js';
import { isLoss, lossCode, POST_SEND_LOSS_INFO } from '../../push/outcomes/loss.js';
import { english } from './troubleshoot-english.js';
import type { Message, MessageParam, TroubleshootTextKey } from './troubleshoot-messages.js';

/** A check and a push's result as the server sends them: the console API's shapes (@pushline/contracts). */
export type { Check, CheckStatus, PushExplanation, PushSummary };

/** A check before its texts are written out in English. */
interface CheckOf {
  id: string;
  status: CheckStatus;
  title: Message;
  detail: Message[];
  fix?: Message | undefined;
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

const msg = (key: TroubleshootTextKey, params?: Record<string, MessageParam>): Message =>
  params ? { key, params } : { key };

function withEnglish(c: CheckOf): Check {
  return {
    id: c.id,
    title: english(c.title),
    status: c.status,
    detail: c.detail.map(english).join('\n'),
    ...(c.fix ? { fix: english(c.fix) } : {}),
    messages: { title: c.title, detail: c.detail, ...(c.fix ? { fix: c.fix } : {}) },
  };
}

/** What kind of certificate it is: vendor, environment, VoIP ("apns production VoIP"). */
const certificateKind = (c: CertificateInfo) =>
  `${c.vendor}${c.environment ? ` ${c.environment}` : ''}${c.kind === 'voip' ? ' VoIP' : ''}`;

export function certificateLabel(c: CertificateInfo): Message {
  return msg('certificateLabel', { id: c.id, kind: certificateKind(c), name: c.name });
}

const device = (i: { platform: string; instanceId: string }) => `${i.platform} ${i.instanceId}`;

const OPT_MEANING: Record<number, TroubleshootTextKey> = {
  1: 'receiveNothing',
  2: 'receiveWithoutPush',
  3: 'receiveWithoutPushExceptAt',
  4: 'receiveOnlyAt',
};

const DND_REPEAT: Record<GlobalDnd['repeat'], TroubleshootTextKey> = {
  daily: 'dndDaily',
  once: 'dndOnce',
  permanent: 'dndPermanent',
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
  ].map(withEnglish);
}

function accountCheck(f: TroubleshootFacts): CheckOf {
  const title = msg('accountTitle');
  const userId = f.userId;
  if (f.accountExists) return { id: 'account', title, status: 'ok', detail: [msg('accountOk', { userId })] };
  const loggedIn = f.instances.length > 0;
  return {
    id: 'account',
    title,
    status: loggedIn ? 'warning' : 'problem',
    detail: [msg(loggedIn ? 'accountMissingLoggedIn' : 'accountMissing', { userId })],
    fix: msg('accountFix'),
  };
}

function certificateCheck(f: TroubleshootFacts): CheckOf {
  const title = msg('certificateTitle');
  const active = f.certificates.filter((c) => c.status === 'active');
  if (f.certificates.length === 0) {
    return {
      id: 'certificate',
      title,
      status: 'problem',
      detail: [msg('certificateNone')],
      fix: msg('certificateNoneFix'),
    };
  }
  const paused = f.certificates.filter((c) => c.status === 'paused');
  const list = f.certificates.map((c) => `${c.id} ${certificateKind(c)}`).join(', ');
  return {
    id: 'certificate',
    title,
    status: active.length === 0 ? 'problem' : paused.length > 0 ? 'warning' : 'ok',
    detail: [
      msg('certificateList', { count: f.certificates.length, list }),
      ...paused.map((c) =>
        c.pausedReason
          ? msg('certificatePausedBecause', { id: c.id, reason: c.pausedReason })
          : msg('certificatePaused', { id: c.id }),
      ),
    ],
    fix: paused.length > 0 ? msg('certificatePausedFix') : undefined,
  };
}

function loginCheck(f: TroubleshootFacts): CheckOf {
  const id = 'login';
  const title = msg('loginTitle');
  const userId = f.userId;
  if (f.instances.length === 0) {
    return {
      id,
      title,
      status: 'problem',
      detail: [msg('loginNever', { userId })],
      fix: msg('loginNeverFix'),
    };
  }
  const live = f.instances.filter((i) => i.state !== 'Offline');
  if (live.length > 0) {
    const devices = live.map((i) => `${device(i)} (${i.state})`).join(', ');
    return { id, title, status: 'ok', detail: [msg('loginDevices', { count: live.length, devices })] };
  }
  const lastSeen = Math.max(...f.instances.map((i) => i.lastSeenAt));
  const kicked = f.kickedAt !== null && f.kickedAt * 1000 >= lastSeen - 1000;
  return {
    id,
    title,
    status: 'problem',
    detail: [
      kicked
        ? msg('loginKicked', { userId, time: { time: f.kickedAt! * 1000 } })
        : msg('loginLoggedOut', { userId, time: { time: lastSeen } }),
    ],
    fix: msg('loginFix'),
  };
}

function tokenCheck(f: TroubleshootFacts): CheckOf {
  const id = 'token';
  const title = msg('tokenTitle');
  const live = f.instances.filter((i) => i.state !== 'Offline');
  if (live.length === 0) return { id, title, status: 'info', detail: [msg('nothingToCheck')] };
  const byId = new Map(f.certificates.map((c) => [c.id, c]));
  const lines: Message[] = [];
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
          ? msg('tokenRefused', {
              device: device(i),
              code: refused.answer!.code ?? 'invalid-token',
              time: { time: refused.answer!.at },
            })
          : msg('tokenNone', { device: device(i), reason: { skipReason: 'no-binding' } }),
      );
      continue;
    }
    for (const b of vendorBindings) {
      const cert = byId.get(b.certificateId);
      const what = msg(b.tokenType === 2 ? 'tokenVoip' : 'tokenAlert');
      if (!cert) {
        problem = true;
        lines.push(
          msg('tokenUnknownCertificate', {
            device: device(i),
            what,
            id: b.certificateId,
            reason: { skipReason: 'certificate-missing' },
          }),
        );
        continue;
      }
      lines.push(
        msg(b.reportedAt < i.loggedInAt ? 'tokenReportedBeforeLogin' : 'tokenReported', {
          device: device(i),
          what,
          time: { time: b.reportedAt },
          certificate: certificateLabel(cert),
        }),
      );
      if (cert.status === 'paused') {
        problem = true;
        lines.push(msg('tokenCertificatePaused', { device: device(i), id: cert.id }));
      }
    }
  }
  return {
    id,
    title,
    status: problem ? 'problem' : 'ok',
    detail: lines,
    fix: problem ? msg('tokenFix') : undefined,
  };
}

function foregroundCheck(f: TroubleshootFacts): CheckOf {
  const id = 'foreground';
  const title = msg('foregroundTitle');
  const live = f.instances.filter((i) => i.state !== 'Offline');
  if (live.length === 0) return { id, title, status: 'info', detail: [msg('nothingToCheck')] };
  const front = live.filter((i) => i.state === 'Online' && !i.background);
  if (front.length === 0) return { id, title, status: 'ok', detail: [msg('foregroundOk')] };
  return {
    id,
    title,
    status: 'warning',
    detail: [
      msg('foregroundWarning', {
        devices: front.map(device).join(', '),
        reason: { skipReason: 'instance-foreground' },
      }),
    ],
    fix: msg('foregroundFix'),
  };
}

function receiveOptionsCheck(f: TroubleshootFacts): CheckOf {
  const id = 'receive-options';
  const title = msg('receiveOptionsTitle');
  const lines: Message[] = [];
  const nowS = Math.floor(f.now / 1000);
  if (f.dnd && dndActive(f.dnd, nowS)) {
    lines.push(
      msg('dndOn', {
        repeat: msg(DND_REPEAT[f.dnd.repeat]),
        time: { time: f.dnd.startTime * 1000 },
        duration: f.dnd.duration,
        reason: { skipReason: 'dnd-window' },
      }),
    );
  }
  for (const m of f.mutedTargets.slice(0, 10)) {
    const [kind, ...rest] = m.target.split('_');
    const meaning = OPT_MEANING[m.opt];
    const option = meaning ? msg(meaning) : msg('receiveOptionNumber', { opt: m.opt });
    lines.push(
      kind === 'group'
        ? msg('receiveOptionGroup', { group: rest.join('_'), option })
        : msg('receiveOptionUser', { user: rest.join('_'), option }),
    );
  }
  if (f.mutedTargets.length > 10) lines.push(msg('mutedMore', { count: f.mutedTargets.length - 10 }));
  const featureOff = dndFeatureEnabled(f.settings) ? [] : [msg('dndFeatureOff')];
  if (lines.length === 0) {
    return { id, title, status: 'ok', detail: [msg('receiveOptionsOk'), ...featureOff] };
  }
  return {
    id,
    title,
    status: 'warning',
    detail: [...lines, ...featureOff],
    fix: msg('receiveOptionsFix'),
  };
}

/** The plain explanation of one push's result. */
export function explainPush(p: PushSummary, certificates: CertificateInfo[]): PushExplanation {
  const e = explainPushMessages(p, certificates);
  return {
    status: e.status,
    text: english(e.text),
    ...(e.fix ? { fix: english(e.fix) } : {}),
    messages: { text: e.text, ...(e.fix ? { fix: e.fix } : {}) },
  };
}

function explainPushMessages(
  p: PushSummary,
  certificates: CertificateInfo[],
): { status: CheckStatus; text: Message; fix?: Message | undefined } {
  if (p.skipReason) {
    const loss = isLoss(p.skipReason) ? lossCode(p.skipReason) : undefined;
    return {
      status: loss ? 'problem' : 'info',
      text: msg('pushNotSent', { code: p.skipReason, reason: { skipReason: p.skipReason } }),
      // Tencent's own loss codes (-1, -2) come with Tencent's ErrInfo; Pushline's keep the reason as code.
      fix: !loss
        ? undefined
        : loss.code === p.skipReason
          ? msg('pushLoss', { code: loss.code })
          : msg('pushLossTencent', { code: loss.code, info: loss.info }),
    };
  }
  const cert = certificates.find((c) => c.id === p.certificateId);
  const a = p.answer;
  if (!a) return { status: 'info', text: msg('pushQueued') };
  const vendor = p.vendor ?? cert?.vendor ?? null;
  const ref = { vendor, code: a.code, stage: a.stage };
  if (a.stage === 'sent') {
    const receipt = p.receipt && RECEIPT[p.receipt];
    return {
      status: 'ok',
      text: receipt ? msg('pushAcceptedReceipt', { receipt: msg(receipt) }) : msg('pushAccepted'),
    };
  }
  const code = a.code ?? a.stage;
  if (a.stage === 'retry') {
    const known = explainAnswer(vendor, a.code, 'retry');
    return {
      status: 'warning',
      text: known
        ? msg('pushRetryingMeaning', { code, meaning: { answerMeaning: ref } })
        : msg('pushRetrying', { code }),
    };
  }
  if (cert?.vendor === 'apns' && a.code === 'BadDeviceToken' && cert.environment) {
    const production = cert.environment === 'production';
    const env = msg(production ? 'envProduction' : 'envDevelopment');
    const other = msg(production ? 'envDevelopment' : 'envProduction');
    return {
      status: 'problem',
      text: msg('apnsEnvMismatch', {
        other,
        env,
        certificate: certificateLabel(cert),
        hint: msg(production ? 'apnsHintProduction' : 'apnsHintDevelopment'),
      }),
      fix: msg('apnsEnvFix', { other, env }),
    };
  }
  const stage = { outcome: a.stage };
  // What the code means and what to do, from the vendor answers table (push/answers/vendor-answers.ts).
  if (explainAnswer(vendor, a.code, a.stage)) {
    return {
      status: 'problem',
      text: msg('pushAnswered', { code, stage, meaning: { answerMeaning: ref } }),
      fix: msg('answerAction', { action: { answerAction: ref } }),
    };
  }
  return {
    status: 'problem',
    text:
      a.stage in POST_SEND_LOSS_INFO
        ? msg('pushAnsweredInfo', { code, stage, info: { lossInfo: a.stage } })
        : msg('pushAnsweredPlain', { code, stage }),
    fix:
      a.stage === 'credential-error'
        ? msg('credentialFix')
        : a.stage === 'invalid-token'
          ? msg('invalidTokenFix')
          : undefined,
  };
}

const RECEIPT: Record<NonNullable<PushSummary['receipt']>, TroubleshootTextKey> = {
  delivered: 'receiptDelivered',
  undelivered: 'receiptUndelivered',
  clicked: 'receiptClicked',
};

function vendorAnswerCheck(f: TroubleshootFacts): CheckOf {
  const id = 'vendor-answer';
  const title = msg('vendorAnswerTitle');
  if (f.pushes.length === 0) return { id, title, status: 'info', detail: [msg('noPushes')] };
  const explained = f.pushes.slice(0, 5).map((p) => ({ p, e: explainPushMessages(p, f.certificates) }));
  const worst =
    explained.find((x) => x.e.status === 'problem') ?? explained.find((x) => x.e.status === 'warning');
  const latest = explained[0]!;
  const lines = explained.map(({ p, e }) =>
    p.vendor
      ? msg('pushLineVendor', {
          time: { time: p.createdAt },
          pushId: p.pushId,
          vendor: p.vendor,
          explanation: e.text,
        })
      : msg('pushLine', { time: { time: p.createdAt }, pushId: p.pushId, explanation: e.text }),
  );
  return {
    id,
    title,
    status: worst ? worst.e.status : latest.e.status === 'ok' ? 'ok' : 'info',
    detail: lines,
    fix: worst?.e.fix,
  };
}

function isRateLimit(code: string | null): boolean {
  return code !== null && /429|TooManyRequests|TooManyProviderTokenUpdates|quota|rate/i.test(code);
}

function rateLimitCheck(f: TroubleshootFacts): CheckOf {
  const id = 'rate-limit';
  const title = msg('rateLimitTitle');
  const limited = f.pushes.flatMap((p) =>
    [...p.retries, ...(p.answer ? [p.answer] : [])].filter((r) => isRateLimit(r.code)).map((r) => ({ p, r })),
  );
  if (limited.length === 0) return { id, title, status: 'ok', detail: [msg('rateLimitOk')] };
  const final = limited.filter(
    ({ p }) => p.answer && isRateLimit(p.answer.code) && p.answer.stage !== 'retry',
  );
  const codes = [...new Set(limited.map(({ r }) => r.code))].join(', ');
  return {
    id,
    title,
    status: final.length > 0 ? 'problem' : 'warning',
    detail: [
      msg('rateLimited', { codes, count: limited.length }),
      ...(final.length > 0 ? [msg('rateLimitGaveUp', { count: final.length })] : []),
    ],
    fix: msg('rateLimitFix'),
  };
}
