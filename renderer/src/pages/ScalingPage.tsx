import { EmptyState } from '../components/EmptyState';
import { Page } from '../components/Page';

export function ScalingPage() {
  return (
    <Page
      title="Scaling"
      description="Perception vs. reasoning: how captioner and solver size each move accuracy."
    >
      <EmptyState
        icon="scaling"
        title="No scaling studies yet"
        summary="This page will hold scaling studies: a captioner (perception) describes each figure, a text-only solver (reasoning) answers from the caption, and both model sizes are swept."
        planned={[
          'Define a grid of captioner × solver models and run it as one job',
          'Accuracy curves per axis, charted with D3',
          'Drill down from a point on a curve to its captions and answers',
        ]}
        arrivesWith="Scaling studies arrive with a later issue."
      />
    </Page>
  );
}
