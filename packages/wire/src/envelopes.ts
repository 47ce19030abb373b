import { actionError } from './action';

/** Each dialect's success and error envelope (the HTTP status is set by the caller too). */

export type WireDialect = 'native' | 'gateway' | 'relay' | 'action';

export function okEnvelope(dialect: WireDialect, data: unknown): unknown {
  switch (dialect) {
    case 'native':
      return data;
    case 'gateway':
      return { code: 0, msg: 'success', data };
    case 'relay':
      return { code: 'success', message: '', data };
    case 'action':
      return { success: true, data };
  }
}

export function errorEnvelope(dialect: WireDialect, status: number, message: string): unknown {
  switch (dialect) {
    case 'native':
      return { detail: message };
    case 'gateway':
      return { code: status, msg: message, data: null };
    case 'relay':
      return { code: 'error', message, data: null };
    case 'action':
      return actionError(status, message);
  }
}
