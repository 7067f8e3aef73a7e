import { describe, expect, it } from 'vitest';
import { ApiError, isApiErrorData, toApiErrorData } from '../../main/api/errors';
import { isMethodName, methods } from '../../main/api/contract';
import { isRpcEnvelope } from '../../main/api/protocol';

describe('wire envelope check', () => {
  it('accepts birpc requests and responses', () => {
    expect(isRpcEnvelope({ t: 'q', m: 'call', a: [], i: 'x' })).toBe(true);
    expect(isRpcEnvelope({ t: 'q', m: 'cancel', a: ['id'] })).toBe(true);
    expect(isRpcEnvelope({ t: 's', i: 'x', r: 1 })).toBe(true);
  });

  it.each([
    null,
    42,
    'q',
    [],
    { t: 'q' },
    { t: 'q', m: 1, a: [] },
    { t: 'q', m: 'x', a: {} },
    { t: 's' },
    { t: 'z', i: 'x' },
  ])('rejects %j', (value) => expect(isRpcEnvelope(value)).toBe(false));
});

describe('errors', () => {
  it('keeps code, message and hint across the wire form', () => {
    const e = new ApiError({ code: 'NOT_FOUND', message: 'No job 1.', hint: 'List jobs.' });
    expect(toApiErrorData(e)).toEqual({ code: 'NOT_FOUND', message: 'No job 1.', hint: 'List jobs.' });
    expect(isApiErrorData(JSON.parse(JSON.stringify(e.toData())))).toBe(true);
  });

  it('turns unknown throwables into INTERNAL', () => {
    expect(toApiErrorData(new TypeError('boom'))).toEqual({ code: 'INTERNAL', message: 'boom' });
    expect(toApiErrorData('text')).toEqual({ code: 'INTERNAL', message: 'text' });
    expect(isApiErrorData({ code: 'MADE_UP', message: 'x' })).toBe(false);
  });
});

describe('contract', () => {
  it('knows its own methods and nothing inherited', () => {
    expect(isMethodName('jobs.start')).toBe(true);
    expect(isMethodName('constructor')).toBe(false);
    expect(isMethodName('__proto__')).toBe(false);
  });

  it('only streaming methods declare chunks', () => {
    const streaming = Object.entries(methods)
      .filter(([, spec]) => 'chunk' in spec)
      .map(([name]) => name);
    expect(streaming.sort()).toEqual(['demo.ticks', 'eval.auditJudge', 'models.chat']);
  });
});
