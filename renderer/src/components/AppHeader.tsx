import { ThemeToggle } from './ThemeToggle';

export function AppHeader() {
  return (
    <header className="app-header">
      <div className="app-header__brand">
        <span className="app-header__mark" aria-hidden="true">
          CP
        </span>
        <span className="app-header__name">CodePercept Workbench</span>
      </div>
      <div className="app-header__tools">
        <ThemeToggle />
      </div>
    </header>
  );
}
