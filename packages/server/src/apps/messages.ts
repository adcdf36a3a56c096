// Why the apps service refuses a new or changed app, as message keys with English texts: AppsService throws
// AppInputError with a key of this table and its values, the console API sends the key next to the English
// message, and the console writes it in its language (packages/console/src/i18n). The console imports this
// file, so it must stay plain data: no imports, nothing that runs only in Node.

export const APP_ERROR_TEXTS = {
  appNameRequired: 'app name must not be empty',
  appNameTooLong: 'the app name must be at most {{max}} characters',
  appIdTaken: 'an app with SDKAppID {{sdkAppId}} already exists',
  adminIdentifierEmpty: 'admin identifier must not be empty (a UserID of 1 to 32 bytes)',
  adminIdentifierNotUnicode:
    'admin identifier is not well-formed Unicode (lone UTF-16 surrogate) (a UserID of 1 to 32 bytes)',
  adminIdentifierNul: 'admin identifier must not contain NUL characters (a UserID of 1 to 32 bytes)',
  adminIdentifierControl: 'admin identifier must not contain control characters (a UserID of 1 to 32 bytes)',
  adminIdentifierTooLong:
    'admin identifier is {{bytes}} bytes of UTF-8; at most {{max}} (a UserID of 1 to 32 bytes)',
};

export type AppErrorKey = keyof typeof APP_ERROR_TEXTS;
