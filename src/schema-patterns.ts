/**
 * Patterns the route schemas share, with what each means in words: Ajv's own message for a
 * pattern is `must match pattern "\S"`, which tells a caller nothing.
 */

/** At least one character that is not a space: a name of spaces alone would look empty in every list. */
export const NON_BLANK = '\\S';

export const patternMeanings: Readonly<Record<string, string>> = {
  [NON_BLANK]: 'must contain a character other than spaces',
};
