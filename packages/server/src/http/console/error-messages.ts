// Every error the console API answers, as a message key with values next to its English text: the answer
// keeps the English (`error`, or `error.message`) for scripts and the CLI, and adds `text: {key, params}`
// that the console writes in its language (packages/console/src/i18n: en.ts takes these English texts as
// they are, zh-CN.ts has the same keys in 简体中文). The console imports this file, so it must stay plain
// data: no imports but other plain tables, nothing that runs only in Node.
// {{name}} is a value shown as it is. `{{detail}}` carries words the server cannot key (an input checker's,
// a vendor's or the v4 API's), which stay as they are in every language.
import { APP_ERROR_TEXTS } from '../../apps/messages.js';
import { AUDIENCE_ERROR_TEXTS } from '../../audience/messages.js';
import { PASSWORD_ERROR_TEXTS } from '../../auth/password-messages.js';
import { CERTIFICATE_ERROR_TEXTS } from '../../certificates/messages.js';

export const CONSOLE_API_ERROR_TEXTS = {
  // Signing in and the session
  signInFirst: 'sign in to the console first',
  csrfHeader: 'missing or wrong {{header}} header',
  adminOnly: 'only console admins may do this',
  signInFieldsRequired: 'username and password are required',
  signInWrong: 'wrong username or password',
  tooManyFailedSignIns: 'too many failed sign-ins: try again in {{seconds}} seconds',
  tooManyWrongPasswords: 'too many wrong passwords: try again in {{seconds}} seconds',
  passwordFieldsRequired: 'currentPassword and newPassword are required',
  currentPasswordWrong: 'wrong current password',
  passwordUnchanged: 'the new password is the same as the current one',
  ...PASSWORD_ERROR_TEXTS,

  // Any input. The field* keys are zod's generic issues (zod-issue-text.ts): {{field}} is the field's path
  // (the console writes a label for the ones it knows), {{expected}} a type (string, number, int, array,
  // object, record, boolean), {{values}} the allowed values as JSON.
  invalidInput: '{{detail}}',
  badTextNotUnicode: '{{field}}: is not well-formed Unicode (lone UTF-16 surrogate)',
  badTextNul: '{{field}}: must not contain NUL characters',
  badKeyNotUnicode: '{{field}}: has a key that is not well-formed Unicode (lone UTF-16 surrogate)',
  badKeyNul: '{{field}}: has a key that must not contain NUL characters',
  unknownField: 'unknown field {{fields}}',
  fieldRequired: '{{field}}: required',
  fieldWrongType: '{{field}}: expected {{expected}}',
  fieldTooLong: '{{field}}: at most {{max}} characters',
  fieldTooShort: '{{field}}: at least {{min}} characters',
  fieldTooMany: '{{field}}: at most {{max}} items',
  fieldTooFew: '{{field}}: at least {{min}} items',
  fieldTooBig: '{{field}}: at most {{max}}',
  fieldTooSmall: '{{field}}: at least {{min}}',
  fieldNotOneOf: '{{field}}: one of {{values}}',
  fieldInvalid: '{{field}}: invalid value',
  internalError: 'internal error',

  // Apps
  appNotFound: 'no app with SDKAppID {{sdkAppId}}',
  appNameNotFound: 'no app "{{app}}"',
  revealPasswordRequired: 'enter your password to reveal the secret key',
  passwordWrong: 'wrong password',
  deleteAppConfirm: 'confirm the deletion: send {"confirmSdkAppId": {{sdkAppId}}}',
  userSigRequired: 'send Authorization: Bearer <admin UserSig of this app>',
  userSigOtherApp: 'this UserSig is for app {{userSigApp}}, not {{sdkAppId}}',
  userSigRefused: '{{detail}}',
  notAppAdmin: '"{{identifier}}" is not the administrator of app {{sdkAppId}}',
  ...APP_ERROR_TEXTS,

  // Certificates (the upload checks are CERTIFICATE_ERROR_TEXTS)
  certificateNotFound: 'no certificate {{id}} in app {{sdkAppId}}',
  certificateInputInvalid: '{{detail}}',
  uploadTooLarge: 'the upload is larger than {{max}} bytes: choose the certificate or key file itself',
  ...CERTIFICATE_ERROR_TEXTS,

  // Records, statistics, exports
  rangeOrder: 'from: must be before to',
  rangeTooLong: 'the range is longer than 31 days: choose a shorter one',
  cursorInvalid: 'before: invalid page cursor (start again from the first page)',
  pushNotFound: 'no push with PushID {{pushId}}',

  // Push tasks
  taskNotFound: 'no push task {{taskId}}',
  taskAlreadyCancelled: 'push task {{taskId}} is already cancelled',
  taskAlreadyStarted:
    'push task {{taskId}} already started (it is {{status}}): only a push that has not started can be cancelled',
  audienceInvalid: '{{detail}}',
  ...AUDIENCE_ERROR_TEXTS,
  composerTagsRequired: 'name at least one tag for a tag push',
  composerAttrsRequired: 'name at least one attribute value for an attribute push',
  composerUsersRequired: 'list at least one UserID',
  composerTextRequired: 'enter the notification text',
  composerImageHttps: 'the image must be an https:// address',
  startAtPast: 'startAt: choose a time in the future',
  startAtTooFar: 'startAt: a push can be scheduled at most 30 days ahead',
  extNotJson: 'ext: enter JSON, e.g. {"page":"news"}',
  composerTooManyUsers: 'userIds: list at most {{max}} UserIDs (there are {{count}})',
  composerSenderNotFound: 'fromAccount: there is no account "{{userId}}" in this app',
  pushInvalid: '{{detail}}',
  pushRefused: '{{detail}} (error {{code}})',

  // Users
  userIdEmpty: 'UserID must not be empty',
  userIdNotUnicode: 'UserID is not well-formed Unicode (lone UTF-16 surrogate)',
  userIdNul: 'UserID must not contain NUL characters',
  userIdControl: 'UserID must not contain control characters',
  userIdTooLong: 'UserID is {{bytes}} bytes of UTF-8; at most {{max}}',
  userNotFound: 'no user "{{userId}}" in this app',
  accountNotFound: 'no account "{{userId}}" in this app',
  bindingTypeNotFound: 'instance "{{instance}}" of "{{userId}}" has no binding of token type {{type}}',
  bindingNotFound: 'no such binding',

  // Sandbox phones
  simulatorsNotRunning:
    'the vendor simulators are not running in this Pushline: start it in sandbox mode (npm start) to see virtual phones',
  phoneNotFound: 'no such phone in this app (logged out, or another app’s)',
  notificationSeqInvalid: 'seq: the number of a notification',
  notificationNotFound: 'the phone shows no notification {{seq}} with a PushID',
  clickReportFailed: 'the click report failed: {{detail}}',
  clickTraceGone: 'the click report failed: this push is no longer known (its trace is kept 7 days)',
};

export type ConsoleErrorKey = keyof typeof CONSOLE_API_ERROR_TEXTS;

/** An error as the console API sends it next to the English: a key of CONSOLE_API_ERROR_TEXTS and values. */
export interface ErrorText {
  key: ConsoleErrorKey;
  params?: Record<string, string | number>;
}
