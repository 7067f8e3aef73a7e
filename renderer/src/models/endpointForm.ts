import type { EndpointInput, EndpointView } from '../../../main/api/endpoints';
import { formatLimit, readInteger } from './formFields';

/** The endpoint editor's fields as typed. The API key is write-only: the form never holds the stored one. */
export interface EndpointFormValues {
  name: string;
  baseUrl: string;
  model: string;
  /** A new key to store; empty keeps the stored key (or stores none). */
  apiKey: string;
  /** Remove the stored key (only offered when one is set). */
  removeApiKey: boolean;
  maxConcurrency: string;
  timeoutSeconds: string;
  retries: string;
}

/** The bounds endpointSchema enforces (a unit test keeps the two in step). */
export const endpointFormLimits = {
  name: { max: 100 },
  maxConcurrency: { min: 1, max: 256 },
  timeoutSeconds: { min: 1, max: 3600 },
  retries: { min: 0, max: 10 },
} as const;

export const emptyEndpointForm: EndpointFormValues = {
  name: '',
  baseUrl: 'http://127.0.0.1:8000/v1',
  model: '',
  apiKey: '',
  removeApiKey: false,
  maxConcurrency: '4',
  timeoutSeconds: '120',
  retries: '3',
};

/** The form for editing a stored endpoint (its key stays where it is unless replaced or removed). */
export function endpointFormFrom(endpoint: EndpointView): EndpointFormValues {
  return {
    name: endpoint.name,
    baseUrl: endpoint.baseUrl,
    model: endpoint.model,
    apiKey: '',
    removeApiKey: false,
    maxConcurrency: String(endpoint.maxConcurrency),
    timeoutSeconds: String(endpoint.timeoutMs / 1000),
    retries: String(endpoint.retries),
  };
}

export type EndpointFormReading = { input: EndpointInput; problem: null } | { input: null; problem: string };

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function outOf(label: string, { min, max }: { min: number; max: number }, unit = ''): string {
  return `${label} must be a whole number from ${formatLimit(min)} to ${formatLimit(max)}${unit}.`;
}

/**
 * The endpoints.save input, or the first thing wrong. `otherNames` are the stored endpoints' names other than
 * the one being edited, so a new endpoint cannot silently replace an existing one.
 */
export function readEndpointForm(
  values: EndpointFormValues,
  otherNames: readonly string[],
): EndpointFormReading {
  const name = values.name.trim();
  if (name === '') return { input: null, problem: 'Give the endpoint a name.' };
  if (name.length > endpointFormLimits.name.max)
    return { input: null, problem: `The name is at most ${endpointFormLimits.name.max} characters.` };
  if (otherNames.includes(name)) return { input: null, problem: `An endpoint named ${name} already exists.` };
  const baseUrl = values.baseUrl.trim();
  if (!isHttpUrl(baseUrl))
    return { input: null, problem: 'The base URL must be an http(s) URL, e.g. http://gpu-server:8000/v1.' };
  const model = values.model.trim();
  if (model === '') return { input: null, problem: 'Name the model the server serves (its /v1/models id).' };
  const maxConcurrency = readInteger(values.maxConcurrency, endpointFormLimits.maxConcurrency);
  if (maxConcurrency === null)
    return { input: null, problem: outOf('Max concurrency', endpointFormLimits.maxConcurrency) };
  const timeoutSeconds = readInteger(values.timeoutSeconds, endpointFormLimits.timeoutSeconds);
  if (timeoutSeconds === null)
    return { input: null, problem: outOf('Timeout', endpointFormLimits.timeoutSeconds, ' seconds') };
  const retries = readInteger(values.retries, endpointFormLimits.retries);
  if (retries === null) return { input: null, problem: outOf('Retries', endpointFormLimits.retries) };
  const apiKey = values.apiKey.trim();
  return {
    input: {
      name,
      baseUrl,
      model,
      maxConcurrency,
      timeoutMs: timeoutSeconds * 1000,
      retries,
      // Omitted keeps the stored key; null removes it.
      ...(apiKey !== '' ? { apiKey } : values.removeApiKey ? { apiKey: null } : {}),
    },
    problem: null,
  };
}
