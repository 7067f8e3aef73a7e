import { createContext } from 'react';
import { schemeTableau10 } from 'd3';

/** Every colour and font a chart draws with. In the app they are the CSS variables of styles/tokens.css. */
export interface ChartTheme {
  background: string;
  text: string;
  textMuted: string;
  grid: string;
  axis: string;
  /** Cells with no value in the heatmap. */
  empty: string;
  font: string;
  /** Categorical colours for series, by series index; chosen to read on both light and dark backgrounds. */
  series: readonly string[];
}

const SERIES = schemeTableau10;

/** The page's theme: follows light/dark through the CSS variables. */
export const cssVariableTheme: ChartTheme = {
  background: 'var(--surface)',
  text: 'var(--text)',
  textMuted: 'var(--text-muted)',
  grid: 'var(--border)',
  axis: 'var(--border-strong)',
  empty: 'var(--neutral-soft)',
  font: 'var(--font-sans)',
  series: SERIES,
};

/**
 * Concrete colours for a standalone SVG (CLI, no stylesheet): the values of styles/tokens.css, which a unit
 * test compares with the file so the two cannot drift apart. DejaVu Sans ships in resources/fonts.
 */
export const staticChartThemes: Record<'light' | 'dark', ChartTheme> = {
  light: {
    background: '#ffffff',
    text: '#1b1f24',
    textMuted: '#5b6470',
    grid: '#dcdfe5',
    axis: '#c4c9d2',
    empty: '#eceef2',
    font: "'DejaVu Sans', 'Liberation Sans', sans-serif",
    series: SERIES,
  },
  dark: {
    background: '#161b22',
    text: '#e2e6eb',
    textMuted: '#9aa4b1',
    grid: '#2b323c',
    axis: '#3a4350',
    empty: '#242b35',
    font: "'DejaVu Sans', 'Liberation Sans', sans-serif",
    series: SERIES,
  },
};

/** The CSS variable behind each theme colour, for that test and for readers. */
export const themeTokens: Record<Exclude<keyof ChartTheme, 'series' | 'font'>, string> = {
  background: '--surface',
  text: '--text',
  textMuted: '--text-muted',
  grid: '--border',
  axis: '--border-strong',
  empty: '--neutral-soft',
};

export const ChartThemeContext = createContext<ChartTheme>(cssVariableTheme);

export function seriesColor(theme: ChartTheme, index: number): string {
  return theme.series[index % theme.series.length]!;
}
