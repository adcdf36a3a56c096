import { useCallback, useEffect, useState } from 'react';
import { api, errorMessage } from './api';

/** GETs `path` on mount and whenever `reload()` is called. */
export function useApi<T>(path: string) {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    setLoading(true);
    api<T>('GET', path)
      .then((d) => {
        if (!current) return;
        setData(d);
        setError(undefined);
      })
      .catch((err: unknown) => current && setError(errorMessage(err)))
      .finally(() => current && setLoading(false));
    // `generation` re-runs the request on reload().
    void generation;
    return () => {
      current = false;
    };
  }, [path, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, reload, setData };
}
