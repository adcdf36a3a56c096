// Why a certificate upload was refused, as message keys with English texts: the validators throw
// CertificateInputError with a key of this table and its values, the console API sends the key next to the
// English message, and the console writes it in its language (packages/console/src/i18n). The console imports
// this file, so it must stay plain data: no imports, nothing that runs only in Node.
// {{name}} is a value; a value the console cannot translate (a file's own words) is shown as it is.

export const CERTIFICATE_ERROR_TEXTS = {
  certVendorUnknown: 'vendor must be one of {{vendors}}',
  certVoipApnsOnly: 'VoIP certificates exist for APNs only',
  certNameTooLong: 'the name must be at most 128 characters',
  certNameLength: 'the name must be 1 to 128 characters',
  certDefaultsInvalid: '{{problem}}',
  certFieldRequired: '{{what}} is required',
  certFieldSpaces: '{{label}} must not contain spaces',

  apnsP12AndP8: 'give either a .p12 certificate or a .p8 key, not both',
  apnsNoCredential:
    'an APNs certificate needs a .p12 certificate (with its password) or a .p8 key (with key ID, team ID and bundle ID)',
  apnsExpired: 'this certificate expired on {{date}}: create a new one in the Apple Developer portal',
  apnsNotYetValid: 'this certificate is not valid before {{date}}',
  apnsBundleMismatch: 'this certificate is for bundle ID "{{actual}}", not "{{given}}"',
  apnsWrongEnvironment:
    'this is a {{actual}} certificate ("{{commonName}}"); it cannot be used for {{given}}',
  apnsChooseEnvironment:
    'this certificate works for both environments: choose development (apps run from Xcode) or production (TestFlight and App Store)',
  apnsNotVoip:
    '"{{commonName}}" is not a VoIP certificate: create a "VoIP Services Certificate" for {{bundleId}}',
  apnsVoipOnly: '"{{commonName}}" is a VoIP Services certificate: it can only send VoIP (PushKit) pushes',
  apnsNotP12:
    'this file is not a .p12 (PKCS#12) file: export the certificate with its private key from Keychain Access as .p12',
  apnsP12WrongPassword: 'wrong password for this .p12 file',
  apnsP12Unreadable: 'this .p12 file cannot be opened: {{reason}}',
  // What apnsP12Unreadable's {{reason}} (the PKCS#12 reader's own words) means, for readers of other languages.
  apnsP12Unsupported:
    'this .p12 file uses a format or algorithm Pushline cannot read: export the certificate with its private key from Keychain Access again',
  apnsP12Damaged:
    'this .p12 file is damaged or incomplete: export the certificate with its private key from Keychain Access again',
  apnsP12NoKey:
    'this .p12 holds no private key: in Keychain Access select the certificate together with its key and export both',
  apnsP12NoMatchingCertificate: 'this .p12 holds no certificate matching its private key',
  apnsNotPushCertificate:
    '"{{commonName}}" is not an Apple push certificate (expected "Apple Push Services: <bundle ID>" or similar)',
  apnsNotP8:
    'this is not a .p8 key file: download the key (AuthKey_<KeyID>.p8) from Certificates, Identifiers & Profiles > Keys',
  apnsP8NotEs256: 'an APNs .p8 key must be an elliptic-curve P-256 (ES256) private key',
  apnsKeyIdRequired: 'the key ID (10 characters, shown next to the key in the portal) is required',
  apnsKeyIdFormat: 'the key ID is 10 upper-case letters and digits',
  apnsTeamIdRequired: 'the team ID (10 characters, shown under Membership) is required',
  apnsTeamIdFormat: 'the team ID is 10 upper-case letters and digits',
  apnsBundleIdRequired: 'the app bundle ID is required',
  apnsEnvironmentRequired:
    'environment is required: development (apps run from Xcode) or production (TestFlight and App Store)',

  fcmLegacyServerKey:
    'FCM legacy server keys no longer work: Google shut down the legacy FCM API (the one that used server keys) in July 2024. Upload the service-account JSON file instead: Firebase console > Project settings > Service accounts > Generate new private key.',
  fcmServiceAccountRequired:
    'the service-account JSON file is required (Firebase console > Project settings > Service accounts > Generate new private key)',
  fcmNotJson: 'the service-account file is not valid JSON',
  fcmNotObject: 'the service-account file must hold a JSON object',
  fcmNotServiceAccount:
    'this JSON is not a service-account key (its "type" is {{type}}, expected "service_account"); google-services.json is the client config, not the server credential',
  fcmMissingFields:
    'the service-account file lacks {{fields}}: download a fresh key file from the Firebase console',
  fcmBrokenPrivateKey:
    'the private_key in the service-account file is broken (it must be an RSA private key in PEM): download a fresh key file',

  webpushSubjectRequired: 'the VAPID subject (mailto:you@example.com or https://your.site) is required',
  webpushSubject: 'the VAPID subject must be a mailto: address or an https: URL',
  webpushPublicKeyMissing: 'give the VAPID public key with its private key',
  webpushPrivateKeyMissing: 'give the VAPID private key with its public key',
  webpushPublicKeyFormat: 'the VAPID public key must be an uncompressed P-256 point (65 bytes) in base64url',
  webpushPrivateKeyFormat: 'the VAPID private key must be 32 bytes in base64url',
  webpushPrivateKeyInvalid: 'the VAPID private key is not a valid P-256 key',
  webpushKeysMismatch: 'the VAPID public key does not belong to this private key',

  // A device token that cannot be one of the certificate's vendor (token-format.ts): a test push, a binding.
  tokenHexDigits: 'a {{vendor}} token must be an even number ({{min}} to {{max}}) of hex digits',
  tokenFcmCharacters: 'a {{vendor}} token must be {{min}} to {{max}} characters of [A-Za-z0-9_:-]',
  tokenCharacters: 'a {{vendor}} token must be {{min}} to {{max}} token characters',
  tokenRegId: 'a {{vendor}} token must be a {{min}} to {{max}} character regId',
  tokenRegistrationId: 'a {{vendor}} token must be a {{min}} to {{max}} character registration ID',
  tokenPushId: 'a {{vendor}} token must be a {{min}} to {{max}} character pushId',
  tokenWebPush:
    'a webpush token must be the PushSubscription JSON: {"endpoint":"https://...","keys":{"p256dh":"<65-byte base64url>","auth":"<16-byte base64url>"}}',
};

export type CertificateErrorKey = keyof typeof CERTIFICATE_ERROR_TEXTS;
