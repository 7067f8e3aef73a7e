/** Error codes every transport carries unchanged; a client can branch on `code`, a person reads `message`. */
export const errorCodes = [
  'INVALID_PARAMS',
  'INVALID_MESSAGE',
  'UNKNOWN_METHOD',
  'NOT_FOUND',
  'CONFLICT',
  'CANCELLED',
  'DATA_DIR_LOCKED',
  'TRANSPORT_CLOSED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** The plain-object form an error takes on the wire (Error instances do not survive JSON). */
export interface ApiErrorData {
  code: ErrorCode;
  message: string;
  /** What the user can do about it, when we know. */
  hint?: string;
  details?: unknown;
}

export class ApiError extends Error implements ApiErrorData {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly details?: unknown;

  constructor(data: ApiErrorData) {
    super(data.message);
    this.name = 'ApiError';
    this.code = data.code;
    if (data.hint !== undefined) this.hint = data.hint;
    if (data.details !== undefined) this.details = data.details;
  }

  toData(): ApiErrorData {
    const data: ApiErrorData = { code: this.code, message: this.message };
    if (this.hint !== undefined) data.hint = this.hint;
    if (this.details !== undefined) data.details = this.details;
    return data;
  }
}

export function isApiErrorData(value: unknown): value is ApiErrorData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.code === 'string' &&
    (errorCodes as readonly string[]).includes(v.code) &&
    typeof v.message === 'string'
  );
}

/** Turns anything thrown into wire-safe error data; unknown failures become INTERNAL. */
export function toApiErrorData(error: unknown): ApiErrorData {
  if (error instanceof ApiError) return error.toData();
  if (isApiErrorData(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}
