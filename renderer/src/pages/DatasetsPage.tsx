import { DatasetsTable } from '../datasets/DatasetsTable';
import { Icon } from '../components/Icon';
import { Page } from '../components/Page';
import { routeHref } from '../routing/routes';

export function DatasetsPage() {
  return (
    <Page title="Datasets" description="Image–caption–code (ICC) triplets kept in the local SQLite store.">
      <section className="tool-card" aria-labelledby="playground-card-title">
        <Icon name="code" className="tool-card__icon" />
        <div className="tool-card__body">
          <h2 className="tool-card__title" id="playground-card-title">
            Render playground
          </h2>
          <p className="tool-card__text">
            Run matplotlib code in the sandboxed renderer and see its image, its failure class and the
            execution trace: every text, line, patch and collection with the source line that drew it.
          </p>
        </div>
        <a className="button button--primary" href={routeHref('playground')} data-testid="open-playground">
          <Icon name="code" />
          Open playground
        </a>
      </section>
      <DatasetsTable />
    </Page>
  );
}
