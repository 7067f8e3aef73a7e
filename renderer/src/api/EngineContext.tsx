import { createContext, useContext } from 'react';
import type { EngineConnection } from './connectEngine';

export const EngineContext = createContext<EngineConnection | null>(null);

/** The live engine connection; only components rendered inside the connected shell may call this. */
export function useEngine(): EngineConnection {
  const engine = useContext(EngineContext);
  if (!engine) throw new Error('useEngine() used outside a connected EngineContext.');
  return engine;
}
