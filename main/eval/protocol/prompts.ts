/** The generation prompt of STEM2Code-Eval, verbatim (including its "an useful"): scores depend on it. */
export const GENERATION_SYSTEM_PROMPT = 'You are an useful assistant.';
export const GENERATION_USER_PROMPT =
  'You are an expert Python developer who specializes in writing matplotlib code based on a given picture. ' +
  'Now, please give me the matplotlib code that reproduces the picture below.';
