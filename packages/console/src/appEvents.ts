// Changes one page makes that other parts of the console show: an app's rename appears in the navigation
// bar at once, without a reload.
import { useEffect } from 'react';

const listeners = new Set<(sdkAppId: string) => void>();

/** Tell the console that an app's details (name...) changed. */
export function notifyAppChanged(sdkAppId: string | number): void {
  for (const l of listeners) l(String(sdkAppId));
}

/** Runs `onChange` whenever `sdkAppId`'s details change. */
export function useAppChanged(sdkAppId: string, onChange: () => void): void {
  useEffect(() => {
    const listener = (id: string) => {
      if (id === sdkAppId) onChange();
    };
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, [sdkAppId, onChange]);
}
