import { useEffect } from 'preact/hooks';

/** Follows the DevTools theme when the host knows it, else the system's prefers-color-scheme. */
export function useTheme(hostTheme: 'dark' | 'light' | undefined): void {
  useEffect(() => {
    const root = document.documentElement;
    if (hostTheme) {
      root.dataset.theme = hostTheme;
      return;
    }
    const query = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined;
    const apply = () => {
      root.dataset.theme = query?.matches ? 'dark' : 'light';
    };
    apply();
    query?.addEventListener('change', apply);
    return () => query?.removeEventListener('change', apply);
  }, [hostTheme]);
}
