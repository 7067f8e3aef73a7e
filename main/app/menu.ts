import { Menu } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';

export interface AppMenuActions {
  openDataFolder(): void;
  showAbout(): void;
}

/**
 * A deliberately small menu: the standard roles give every platform its native shortcuts (copy/paste in
 * the code editor, reload, zoom); the app adds only what has no place in the UI.
 */
export function installAppMenu(actions: AppMenuActions): void {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } satisfies MenuItemConstructorOptions] : []),
    {
      label: '&File',
      submenu: [
        { label: 'Open Data Folder', click: () => actions.openDataFolder() },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      label: '&Help',
      submenu: [{ label: 'About CodePercept Workbench', click: () => actions.showAbout() }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
