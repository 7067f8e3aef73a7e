import { EmptyState } from '../components/EmptyState';
import { Page } from '../components/Page';

export function ModelsPage() {
  return (
    <Page
      title="Models"
      description="Local GGUF models on this machine, and OpenAI-compatible servers your lab runs."
    >
      <EmptyState
        icon="models"
        title="No models registered"
        summary="This page will list the models the workbench can use: GGUF text and vision models run through llama.cpp on the local GPU, and remote OpenAI-compatible endpoints (vLLM, SGLang, llama-server)."
        planned={[
          'Pick up GGUF files (with their mmproj for vision) from the models folder',
          'See size, quantisation and whether a model fits this GPU before loading it',
          'Add an OpenAI-compatible endpoint with its concurrency limit',
        ]}
        arrivesWith="The GGUF model registry arrives with a later issue."
      />
    </Page>
  );
}
