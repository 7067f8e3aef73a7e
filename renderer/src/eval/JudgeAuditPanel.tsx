import { useState } from 'react';
import type { EvalRunInfo } from '../../../main/api/eval';
import type { JudgeAuditReportResult } from '../../../main/api/judgeAudit';
import { useStartForm } from '../api/useStartForm';
import { FieldProblem, NumberField } from '../components/FormFields';
import { Icon } from '../components/Icon';
import { ProgressBar } from '../components/ProgressBar';
import { auditProgress, defaultAuditFormValues, readAuditForm } from './auditForm';
import type { AuditFormValues } from './auditForm';
import { LEVEL_LABELS, auditHeadline, auditRows, judgmentCell, metricRows } from './auditReport';
import { EndpointChoice, ModelChoice, useChoices } from './RunSetupForm';
import { useJudgeAudit } from './useJudgeAudit';

/** The audit's verdicts: one row per check with its number, the engine's verdict and what it means. */
function AuditResult({ report }: { report: JudgeAuditReportResult }) {
  const metrics = metricRows(report);
  return (
    <div className="eval-audit__result" data-testid="audit-result">
      <p className="eval-audit__headline" data-testid="audit-headline">
        {auditHeadline(report)}
      </p>
      <div className="table-wrap">
        <table className="table eval-audit__table" data-testid="audit-table">
          <thead>
            <tr>
              <th>Check</th>
              <th>Result</th>
              <th>Verdict</th>
              <th>What it means</th>
            </tr>
          </thead>
          <tbody>
            {auditRows(report).map((row) => (
              <tr key={row.check} data-testid="audit-row" data-check={row.check} data-level={row.level}>
                <td>
                  <span className="eval-rowlabel">{row.label}</span>
                  <span className="eval-audit__question muted">{row.question}</span>
                </td>
                <td className="eval-audit__value" data-testid="audit-value">
                  {row.value}
                </td>
                <td>
                  <span className={`audit-level audit-level--${row.level}`} data-testid="audit-level">
                    {LEVEL_LABELS[row.level]}
                  </span>
                </td>
                <td className="eval-audit__finding">{row.finding}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="eval-audit__details">
        {metrics.length > 0 && (
          <section>
            <h3 className="detail__subtitle">Rank correlation with each metric</h3>
            <table className="table eval-audit__metrics" data-testid="audit-metrics">
              <thead>
                <tr>
                  <th>Metric</th>
                  <th className="num">Items</th>
                  <th
                    className="num"
                    title="Spearman's rank correlation of the judge's first scores with the metric"
                  >
                    Spearman
                  </th>
                </tr>
              </thead>
              <tbody>
                {metrics.map((m) => (
                  <tr key={m.metric} data-metric={m.metric}>
                    <td>{m.label}</td>
                    <td className="num">{m.pairs}</td>
                    <td className="num">{m.spearman}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
        <section>
          <h3 className="detail__subtitle">Scores per item (0–100)</h3>
          <div className="table-wrap eval-audit__items">
            <table className="table" data-testid="audit-items">
              <thead>
                <tr>
                  <th>Item</th>
                  <th className="num" title="The reference judged against itself">
                    Self
                  </th>
                  <th className="num" title="The candidate, as a run judges it">
                    First
                  </th>
                  <th className="num" title="The same question again">
                    Repeat
                  </th>
                  <th className="num" title="Candidate shown first">
                    Swapped
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.perItem.map((item) => (
                  <tr key={item.id} data-testid="audit-item" data-uid={item.id}>
                    <td className="mono">{item.id}</td>
                    {(['self', 'first', 'repeat', 'swapped'] as const).map((k) => {
                      const cell = judgmentCell(item[k]);
                      return (
                        <td
                          key={k}
                          className={cell.failed ? 'num field__problem' : 'num'}
                          title={cell.title || undefined}
                        >
                          {cell.text}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </div>
    </div>
  );
}

/**
 * The protocol's judge audit: how far to trust a judge, measured by asking it about the reference against
 * itself, the same candidate twice, the order swapped, and (given a run) against the deterministic metrics.
 */
export function JudgeAuditPanel({ runs }: { runs: EvalRunInfo[] }) {
  const [values, setValues] = useState<AuditFormValues>(defaultAuditFormValues);
  const choices = useChoices(values.benchmarkId);
  const audit = useJudgeAudit();
  const form =
    values.benchmarkId === '' && choices.benchmarks[0]
      ? { ...values, benchmarkId: String(choices.benchmarks[0].id) }
      : values;
  const set = (change: Partial<AuditFormValues>) => setValues((v) => ({ ...v, ...change }));
  const reading = readAuditForm(form);
  const { touched, start } = useStartForm(reading.params, async (params) => audit.start(params));
  const problems = touched ? reading.problems : {};
  const runsHere = runs.filter((r) => String(r.benchmark.id) === form.benchmarkId);
  const running = audit.run.phase === 'running';
  const progress =
    audit.run.phase === 'running' || audit.run.phase === 'cancelled'
      ? auditProgress(audit.run.progress, audit.run.phase === 'cancelled')
      : null;

  return (
    <section className="card eval-audit" aria-label="Judge audit" data-testid="audit-panel">
      <header className="card__header">
        <h2 className="card__title">Judge audit</h2>
        <p className="card__subtitle">
          How far to trust a judge before its scores go in a table: each item is judged four times (the
          reference against itself, the candidate twice, the candidate shown first), and with a run the
          judge’s ranking is compared with the deterministic metrics. Four judge calls per item.
        </p>
      </header>
      <form
        className="eval-form__grid"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <label className="field">
          <span className="field__label">Benchmark</span>
          <select
            className="input"
            value={form.benchmarkId}
            onChange={(e) => set({ benchmarkId: e.target.value, runId: '' })}
            data-testid="audit-benchmark"
          >
            {choices.benchmarks.length === 0 && <option value="">No STEM2Code dataset imported</option>}
            {choices.benchmarks.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name} ({b.itemCount} items)
              </option>
            ))}
          </select>
          <FieldProblem text={problems.benchmark} testId="audit-problem-benchmark" />
        </label>
        <div className="field" role="radiogroup" aria-label="Which judge">
          <span className="field__label">Which judge</span>
          <div className="eval-form__inline">
            {(
              [
                ['image', 'Image judge (multimodal)'],
                ['code', 'Code judge (text)'],
              ] as const
            ).map(([kind, label]) => (
              <label key={kind} className="eval-form__radio">
                <input
                  type="radio"
                  name="audit-kind"
                  checked={values.kind === kind}
                  onChange={() => set({ kind })}
                  data-testid={`audit-kind-${kind}`}
                />
                {label}
              </label>
            ))}
          </div>
        </div>
        <div className="field eval-form__wide">
          <span className="field__label">Judge model</span>
          <div className="eval-form__inline">
            <select
              className="input input--select-narrow"
              value={values.judgeKind}
              onChange={(e) => set({ judgeKind: e.target.value as AuditFormValues['judgeKind'] })}
              aria-label="Judge source"
              data-testid="audit-judge-kind"
            >
              <option value="endpoint">Endpoint</option>
              <option value="local">Local model</option>
            </select>
            {values.judgeKind === 'local' ? (
              <ModelChoice
                value={values.model}
                onChange={(model) => set({ model })}
                choices={choices}
                testId="audit-judge-model"
              />
            ) : (
              <EndpointChoice
                value={values.endpoint}
                onChange={(endpoint) => set({ endpoint })}
                endpoints={choices.endpoints}
                label="Judge endpoint"
                testId="audit-judge-endpoint"
              />
            )}
          </div>
          <FieldProblem text={problems.judge} testId="audit-problem-judge" />
        </div>
        <label className="field eval-form__wide">
          <span className="field__label">Candidates</span>
          <select
            className="input input--wide"
            value={values.runId}
            onChange={(e) => set({ runId: e.target.value })}
            data-testid="audit-run"
          >
            <option value="">No run: each reference is its own candidate (no metric check)</option>
            {runsHere.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name} ({r.complete}/{r.total} items)
              </option>
            ))}
          </select>
        </label>
        <div className="eval-form__wide eval-audit__numbers">
          <NumberField
            label="Limit (items)"
            value={values.limit}
            placeholder="all"
            onChange={(limit) => set({ limit })}
            problem={problems.limit}
            testId="audit-limit"
            problemTestId="audit-problem-limit"
          />
          <NumberField
            label="Attempts"
            value={values.attempts}
            onChange={(attempts) => set({ attempts })}
            problem={problems.attempts}
            testId="audit-attempts"
            problemTestId="audit-problem-attempts"
            title="Tries per judgment before it counts as failed"
          />
          <NumberField
            label="Concurrency"
            value={values.concurrency}
            onChange={(concurrency) => set({ concurrency })}
            problem={problems.concurrency}
            testId="audit-concurrency"
            problemTestId="audit-problem-concurrency"
            title="Judge calls in flight at once"
          />
        </div>
        <div className="form-actions eval-form__wide">
          <button
            type="submit"
            className="button button--primary"
            disabled={running}
            data-testid="audit-start"
          >
            <Icon name="play" />
            {running ? 'Auditing…' : 'Start audit'}
          </button>
          {running && (
            <button type="button" className="button" onClick={audit.cancel} data-testid="audit-cancel">
              <Icon name="stop" />
              Cancel
            </button>
          )}
          {touched && !reading.params && (
            <span className="field__problem" role="alert">
              Fix the marked fields first.
            </span>
          )}
        </div>
      </form>
      {progress && (audit.run.phase === 'running' || audit.run.phase === 'cancelled') && (
        <div className="eval-audit__progress" data-testid="audit-progress" data-phase={audit.run.phase}>
          <ProgressBar
            done={audit.run.progress?.done ?? 0}
            failed={0}
            total={audit.run.progress?.total ?? 0}
            label="Judge audit"
            testId="audit-progressbar"
          />
          <span className="muted num" data-testid="audit-progress-label">
            {progress.label}
          </span>
        </div>
      )}
      {audit.run.phase === 'failed' && (
        <p className="banner banner--error" role="alert" data-testid="audit-error">
          <Icon name="error" />
          <span>
            <strong>The audit failed{audit.run.error.code ? ` (${audit.run.error.code})` : ''}.</strong>{' '}
            {audit.run.error.message}
            {audit.run.error.hint && <> {audit.run.error.hint}</>}
          </span>
        </p>
      )}
      {audit.run.phase === 'done' && <AuditResult report={audit.run.report} />}
    </section>
  );
}
