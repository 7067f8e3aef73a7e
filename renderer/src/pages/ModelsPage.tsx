import { useCallback, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { ModelFile } from '../../../main/api/models';
import { Page } from '../components/Page';
import { ChatPlayground } from '../models/ChatPlayground';
import { chatTargets } from '../models/chatForm';
import { EndpointsCard } from '../models/EndpointsCard';
import { LoadedModelsCard } from '../models/LoadedModelsCard';
import { defaultLoadForm } from '../models/loadForm';
import type { LoadFormValues } from '../models/loadForm';
import { readyModels } from '../models/loadedModels';
import { LoadModelForm } from '../models/LoadModelForm';
import { ModelFilesCard } from '../models/ModelFilesCard';
import { useEndpoints } from '../models/useEndpoints';
import { useLoadedModels } from '../models/useLoadedModels';
import { useModelFiles } from '../models/useModelFiles';

const tabs = [
  { id: 'local', label: 'Local models' },
  { id: 'playground', label: 'Playground' },
  { id: 'endpoints', label: 'Endpoints' },
] as const;
type TabId = (typeof tabs)[number]['id'];

/** Local GGUF models (files, fit, load/unload), a chat playground, and remote OpenAI-compatible endpoints. */
export function ModelsPage() {
  const modelFiles = useModelFiles();
  const loaded = useLoadedModels();
  const endpoints = useEndpoints();
  const [tab, setTab] = useState<TabId>('local');
  const [loadForm, setLoadForm] = useState<LoadFormValues>(() => defaultLoadForm());
  const modelSelect = useRef<HTMLSelectElement>(null);

  const chooseToLoad = useCallback((file: ModelFile) => {
    setLoadForm((f) => ({ ...f, model: file.name }));
    modelSelect.current?.scrollIntoView({ block: 'nearest' });
    modelSelect.current?.focus({ preventScroll: true });
  }, []);

  const ready = readyModels(loaded.models);
  const targets = chatTargets(ready, endpoints.endpoints);

  // Arrow keys move between tabs, as in every tab list.
  const onTabKey = (event: KeyboardEvent) => {
    const index = tabs.findIndex((t) => t.id === tab);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = tabs[(index + step + tabs.length) % tabs.length]!;
    setTab(next.id);
    document.getElementById(`models-tab-${next.id}`)?.focus();
  };

  return (
    <Page
      title="Models"
      description="Local GGUF models run through llama.cpp in their own processes, and OpenAI-compatible servers your lab runs."
    >
      <div className="tabs" role="tablist" aria-label="Models sections" onKeyDown={onTabKey}>
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`models-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`models-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className="tabs__tab"
            onClick={() => setTab(t.id)}
            data-testid={`models-tab-${t.id}`}
          >
            {t.label}
            {t.id === 'local' && ready.length > 0 && (
              <span className="tabs__count">{ready.length} loaded</span>
            )}
            {t.id === 'endpoints' && endpoints.endpoints.length > 0 && (
              <span className="tabs__count">{endpoints.endpoints.length}</span>
            )}
          </button>
        ))}
      </div>
      {/* Panels stay mounted: a running answer or a half-filled form survives a tab switch. */}
      <div
        className="tab-panel"
        role="tabpanel"
        id="models-panel-local"
        aria-labelledby="models-tab-local"
        hidden={tab !== 'local'}
      >
        <LoadedModelsCard loaded={loaded} />
        <LoadModelForm
          files={modelFiles.files}
          values={loadForm}
          onChange={(patch) => setLoadForm((f) => ({ ...f, ...patch }))}
          loading={loaded.loading.has(loadForm.model)}
          onLoad={(params) => void loaded.load(params)}
          modelSelect={modelSelect}
        />
        <ModelFilesCard modelFiles={modelFiles} onChooseToLoad={chooseToLoad} />
      </div>
      <div
        className="tab-panel"
        role="tabpanel"
        id="models-panel-playground"
        aria-labelledby="models-tab-playground"
        hidden={tab !== 'playground'}
      >
        <ChatPlayground targets={targets} />
      </div>
      <div
        className="tab-panel"
        role="tabpanel"
        id="models-panel-endpoints"
        aria-labelledby="models-tab-endpoints"
        hidden={tab !== 'endpoints'}
      >
        <EndpointsCard endpoints={endpoints} />
      </div>
    </Page>
  );
}
