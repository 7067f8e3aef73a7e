/** What a person is shown about a failure: the engine's error code, its message, and what to do next. */
export interface ErrorDescription {
  code: string | null;
  message: string;
  hint: string | null;
}

/**
 * Reads an ApiError (or its wire form) by shape, so the renderer needs no runtime import of main/api/errors;
 * anything else still yields a readable message.
 */
export function describeError(error: unknown): ErrorDescription {
  if (typeof error === 'object' && error !== null) {
    const e = error as Record<string, unknown>;
    const message = typeof e.message === 'string' && e.message !== '' ? e.message : String(error);
    return {
      code: typeof e.code === 'string' ? e.code : null,
      message,
      hint: typeof e.hint === 'string' && e.hint !== '' ? e.hint : null,
    };
  }
  return { code: null, message: String(error), hint: null };
}
