import { isRouteErrorResponse, useRouteError } from 'react-router';
import { isChunkLoadError, LoadFailure } from './load-failure';

/** What a page that failed to load or crashed shows inside the shell, instead of React Router's developer screen. */
export function RouteError() {
  const error = useRouteError();
  if (isChunkLoadError(error)) {
    return (
      <LoadFailure
        title="This page could not load"
        detail="Part of Mission Control did not arrive: the connection dropped, or the server was updated since this tab opened. Reload to get the current version."
      />
    );
  }
  const detail = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'An unexpected error.';
  return <LoadFailure title="Something went wrong on this page" detail={`${detail} Reload to try again; other pages still work.`} />;
}
