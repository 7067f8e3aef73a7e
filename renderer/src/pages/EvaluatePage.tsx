import { EmptyState } from '../components/EmptyState';
import { Page } from '../components/Page';

export function EvaluatePage() {
  return (
    <Page title="Evaluate" description="Run STEM2Code-Eval locally, with your own models and data.">
      <EmptyState
        icon="evaluate"
        title="No evaluation runs yet"
        summary="This page will hold STEM2Code-Eval runs: a vision-language model looks at a STEM figure and writes matplotlib code, the code runs in the sandbox, and its render is scored against the reference."
        planned={[
          'Start a run over a benchmark split with a local or OpenAI-compatible model',
          'Scores by the published protocol (local judge models) and by deterministic metrics',
          'Per-item view: reference, generated code, its render and every score',
        ]}
        arrivesWith="STEM2Code-Eval runs arrive with a later issue."
      />
    </Page>
  );
}
