// Why a new console password is refused, as message keys with English texts: passwordProblem writes them in
// English, the console API sends the key next to it and the console writes it in its language. The console
// imports this file, so it must stay plain data.
// {{why}} is zxcvbn's advice, in English; the Chinese texts leave it out.

export const PASSWORD_ERROR_TEXTS = {
  passwordTooShort: 'password must have at least {{min}} characters',
  passwordTooLong: 'password must have at most {{max}} characters',
  passwordTooWeak:
    'password is too easy to guess (strength {{score}} of 4, at least {{minScore}} needed). Use four or more unrelated words, or a generated password.',
  passwordTooWeakBecause:
    'password is too easy to guess (strength {{score}} of 4, at least {{minScore}} needed): {{why}} Use four or more unrelated words, or a generated password.',
};

export type PasswordErrorKey = keyof typeof PASSWORD_ERROR_TEXTS;
