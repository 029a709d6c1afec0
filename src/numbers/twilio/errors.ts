// One error class for every provider failure, with a stable code callers can branch on. It is an
// AppError, so the API and CLI translate it like any other; its HTTP status is ours (a Twilio 401
// is our upstream failing, not the caller's credentials), Twilio's own answer is kept beside it.
// Provider-neutral (the simulated provider throws it too): it lives here only because this folder
// is where provider code is owned today — a natural home is src/numbers/provider-error.ts.
import twilio from 'twilio';
import { AppError } from '../../errors.ts';

export type ProviderErrorCode =
  | 'number-unavailable'
  | 'bad-credentials'
  | 'bundle-required'
  | 'provider-unavailable'
  | 'provider-error';

const HTTP_STATUS: Record<ProviderErrorCode, number> = {
  'number-unavailable': 409,
  'bundle-required': 422,
  'bad-credentials': 502,
  'provider-unavailable': 503,
  'provider-error': 502,
};

export interface ProviderErrorDetails {
  /** HTTP status the provider answered with, when there was an answer. */
  providerStatus?: number;
  /** Twilio's numeric error code, e.g. 21422. */
  providerCode?: number;
  moreInfo?: string;
  cause?: unknown;
}

export class ProviderError extends AppError {
  declare readonly code: ProviderErrorCode;
  readonly providerStatus: number | undefined;
  readonly providerCode: number | undefined;
  readonly moreInfo: string | undefined;

  constructor(code: ProviderErrorCode, message: string, details: ProviderErrorDetails = {}) {
    super(code, message, HTTP_STATUS[code]);
    this.name = 'ProviderError';
    if (details.cause !== undefined) this.cause = details.cause;
    this.providerStatus = details.providerStatus;
    this.providerCode = details.providerCode;
    this.moreInfo = details.moreInfo;
  }
}

// https://www.twilio.com/docs/api/errors — 21422 "PhoneNumber requested is not available",
// 21452 "No phone numbers found in area code"; 20003 "Authentication failed".
const NUMBER_UNAVAILABLE = new Set([21422, 21452]);
const BAD_CREDENTIALS = new Set([20003]);
// 21649 is the bundle-not-approved rejection; Twilio words other regulatory rejections around
// "Bundle", so the message is checked too.
const BUNDLE_REQUIRED = new Set([21649]);

function classify(status: number, code: number | undefined, message: string): ProviderErrorCode {
  if (code !== undefined && NUMBER_UNAVAILABLE.has(code)) return 'number-unavailable';
  if (status === 401 || (code !== undefined && BAD_CREDENTIALS.has(code))) return 'bad-credentials';
  if (code !== undefined && BUNDLE_REQUIRED.has(code)) return 'bundle-required';
  if (status >= 500 || status === 429) return 'provider-unavailable';
  if (status >= 400 && /\bbundle\b/i.test(message)) return 'bundle-required';
  return 'provider-error';
}

interface NetworkFailure {
  code?: string;
  message: string;
  response?: unknown;
}

function isNetworkFailure(error: unknown): error is NetworkFailure {
  // axios (the SDK's HTTP layer) marks its errors; without a response nothing answered in time.
  return (
    error instanceof Error &&
    (error as { isAxiosError?: boolean }).isAxiosError === true &&
    (error as NetworkFailure).response === undefined
  );
}

/** What Twilio answered, whichever of the SDK's two exception shapes carried it. */
interface TwilioAnswer {
  status: number;
  code: number | undefined;
  text: string;
  moreInfo: string | undefined;
}

function twilioAnswer(error: unknown): TwilioAnswer | undefined {
  if (error instanceof twilio.RestException) {
    return {
      status: error.status,
      code: typeof error.code === 'number' ? error.code : undefined,
      text: error.message || `HTTP ${error.status}`,
      moreInfo: error.moreInfo || undefined,
    };
  }
  // Newer Twilio APIs answer RFC 9457 problem documents; the SDK throws a TwilioServiceException,
  // which it does not export, so it is recognised by shape.
  const problem = error as { status?: unknown; title?: unknown; type?: unknown; code?: unknown; detail?: unknown };
  if (error instanceof Error && typeof problem.status === 'number' && typeof problem.title === 'string') {
    const code = typeof problem.code === 'number' && problem.code !== 0 ? problem.code : undefined;
    const detail = typeof problem.detail === 'string' ? `: ${problem.detail}` : '';
    return {
      status: problem.status,
      code,
      text: `${problem.title}${detail}`,
      moreInfo: typeof problem.type === 'string' && problem.type !== '' ? problem.type : undefined,
    };
  }
  return undefined;
}

/** Turns whatever the twilio SDK threw into a ProviderError; `action` says what was attempted. */
export function providerErrorFromTwilio(error: unknown, action: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const answer = twilioAnswer(error);
  if (answer !== undefined) {
    const label = answer.code === undefined ? `HTTP ${answer.status}` : `Twilio error ${answer.code}`;
    return new ProviderError(
      classify(answer.status, answer.code, answer.text),
      `${action} failed: ${label}: ${answer.text}`,
      { providerStatus: answer.status, providerCode: answer.code, moreInfo: answer.moreInfo, cause: error },
    );
  }
  if (isNetworkFailure(error)) {
    const reason = error.code ?? error.message;
    return new ProviderError('provider-unavailable', `${action} failed: Twilio did not answer (${reason})`, {
      cause: error,
    });
  }
  const text = error instanceof Error ? error.message : String(error);
  return new ProviderError('provider-error', `${action} failed: ${text}`, { cause: error });
}
