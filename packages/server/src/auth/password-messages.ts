// Why a new console password is refused, as message keys with English texts: passwordProblem writes them in
// English, the console API sends the key next to it and the console writes it in its language. The console
// imports this file, so it must stay plain data.
// {{why}} is zxcvbn's advice: the server writes it in English from the tables below (the estimator answers
// their keys); the answer's `warning` and `suggestions` values name the keys, so that the console writes
// the advice in its language (there is no Chinese package for zxcvbn).

export const PASSWORD_ERROR_TEXTS = {
  passwordTooShort: 'password must have at least {{min}} characters',
  passwordTooLong: 'password must have at most {{max}} characters',
  passwordTooWeak:
    'password is too easy to guess (strength {{score}} of 4, at least {{minScore}} needed). Use four or more unrelated words, or a generated password.',
  passwordTooWeakBecause:
    'password is too easy to guess (strength {{score}} of 4, at least {{minScore}} needed): {{why}} Use four or more unrelated words, or a generated password.',
};

export type PasswordErrorKey = keyof typeof PASSWORD_ERROR_TEXTS;

// zxcvbn's advice, as @zxcvbn-ts/language-en words it.
export const PASSWORD_WARNING_TEXTS = {
  straightRow: 'Straight rows of keys on your keyboard are easy to guess.',
  keyPattern: 'Short keyboard patterns are easy to guess.',
  simpleRepeat: 'Repeated characters like "aaa" are easy to guess.',
  extendedRepeat: 'Repeated character patterns like "abcabcabc" are easy to guess.',
  sequences: 'Common character sequences like "abc" are easy to guess.',
  recentYears: 'Recent years are easy to guess.',
  dates: 'Dates are easy to guess.',
  topTen: 'This is a heavily used password.',
  topHundred: 'This is a frequently used password.',
  common: 'This is a commonly used password.',
  similarToCommon: 'This is similar to a commonly used password.',
  wordByItself: 'Single words are easy to guess.',
  namesByThemselves: 'Single names or surnames are easy to guess.',
  commonNames: 'Common names and surnames are easy to guess.',
  userInputs: 'There should not be any personal or page related data.',
  pwned: 'Your password was exposed by a data breach on the Internet.',
};

export const PASSWORD_SUGGESTION_TEXTS = {
  l33t: "Avoid predictable letter substitutions like '@' for 'a'.",
  reverseWords: 'Avoid reversed spellings of common words.',
  allUppercase: 'Capitalize some, but not all letters.',
  capitalization: 'Capitalize more than the first letter.',
  dates: 'Avoid dates and years that are associated with you.',
  recentYears: 'Avoid recent years.',
  associatedYears: 'Avoid years that are associated with you.',
  sequences: 'Avoid common character sequences.',
  repeated: 'Avoid repeated words and characters.',
  longerKeyboardPattern: 'Use longer keyboard patterns and change typing direction multiple times.',
  anotherWord: 'Add more words that are less common.',
  useWords: 'Use multiple words, but avoid common phrases.',
  noNeed: 'You can create strong passwords without using symbols, numbers, or uppercase letters.',
  pwned: 'If you use this password elsewhere, you should change it.',
};

export type PasswordWarningKey = keyof typeof PASSWORD_WARNING_TEXTS;
export type PasswordSuggestionKey = keyof typeof PASSWORD_SUGGESTION_TEXTS;
