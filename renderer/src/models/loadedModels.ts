import type { LoadedModel } from '../../../main/api/models';

/** What the loaded-models panel shows, in the order the models were first seen. */
export type LoadedModelsState = readonly LoadedModel[];

export type LoadedModelsAction =
  /** The engine's answer to models.loaded. */
  | { type: 'listed'; models: readonly LoadedModel[] }
  /** A models.state event, or a models.load reply. */
  | { type: 'state'; model: LoadedModel }
  /** The user put away a failed entry that the engine no longer holds. */
  | { type: 'dismiss'; id: string };

function sameId(id: string) {
  return (m: LoadedModel) => m.id === id;
}

/**
 * Folds models.loaded and models.state into the panel. "unloaded" removes a model; a failed load stays
 * (the engine forgets it, the person still needs to read why) until dismissed; a late, smaller progress
 * figure never moves the bar back.
 */
export function loadedModelsReducer(state: LoadedModelsState, action: LoadedModelsAction): LoadedModelsState {
  switch (action.type) {
    case 'listed': {
      const listedIds = new Set(action.models.map((m) => m.id));
      const kept = state.filter((m) => m.state === 'failed' && !listedIds.has(m.id));
      const order = state.map((m) => m.id);
      const listed = [...action.models].sort((a, b) => {
        const ia = order.indexOf(a.id);
        const ib = order.indexOf(b.id);
        return (ia === -1 ? Infinity : ia) - (ib === -1 ? Infinity : ib);
      });
      return [...listed, ...kept];
    }
    case 'state': {
      const { model } = action;
      const index = state.findIndex(sameId(model.id));
      if (model.state === 'unloaded') return index === -1 ? state : state.filter((m) => m.id !== model.id);
      if (index === -1) return [...state, model];
      const previous = state[index]!;
      const merged =
        model.state === 'loading' && previous.state === 'loading' && model.progress < previous.progress
          ? { ...model, progress: previous.progress }
          : model;
      return state.map((m, i) => (i === index ? merged : m));
    }
    case 'dismiss':
      return state.filter((m) => m.id !== action.id);
  }
}

/** Models that can answer a chat now. */
export function readyModels(state: LoadedModelsState): LoadedModel[] {
  return state.filter((m) => m.state === 'ready');
}

/** Whether a model file (by its listed name) is loaded or loading, so Load can say so. */
export function isLoadedName(state: LoadedModelsState, name: string): boolean {
  return state.some((m) => m.name === name && (m.state === 'ready' || m.state === 'loading'));
}
