import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../../main/store/dataDir';

describe('resolveDataDir', () => {
  const base = { home: '/home/ada', platform: 'linux' as const };

  it('prefers --data-dir over everything', () => {
    expect(
      resolveDataDir({
        ...base,
        flag: '/data/x',
        env: { CODEPERCEPT_HOME: '/env' },
        electronUserData: '/ud',
      }),
    ).toEqual({
      path: '/data/x',
      source: 'flag',
    });
  });

  it('then CODEPERCEPT_HOME, even inside the desktop app', () => {
    expect(resolveDataDir({ ...base, env: { CODEPERCEPT_HOME: '/env' }, electronUserData: '/ud' })).toEqual({
      path: '/env',
      source: 'env',
    });
  });

  it("then Electron's userData", () => {
    expect(resolveDataDir({ ...base, env: {}, electronUserData: '/ud' })).toEqual({
      path: '/ud',
      source: 'electron',
    });
  });

  it('then XDG_DATA_HOME, else ~/.local/share on Linux', () => {
    expect(resolveDataDir({ ...base, env: { XDG_DATA_HOME: '/xdg' } }).path).toBe('/xdg/codepercept');
    expect(resolveDataDir({ ...base, env: {} }).path).toBe('/home/ada/.local/share/codepercept');
  });

  it('uses the platform folders on macOS and Windows', () => {
    expect(resolveDataDir({ home: '/Users/ada', platform: 'darwin', env: {} }).path).toBe(
      '/Users/ada/Library/Application Support/CodePercept',
    );
    expect(
      resolveDataDir({ home: 'C:/Users/ada', platform: 'win32', env: { APPDATA: 'C:/AppData' } }).path,
    ).toContain('CodePercept');
  });
});
