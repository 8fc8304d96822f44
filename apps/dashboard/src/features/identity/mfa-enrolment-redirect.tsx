import { useEffect } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useServices } from '../../lib/services-context';
import { useSession } from '../auth/use-session';
import { clearMfaEnrolmentRequired, mfaEnrolmentPath, noteMfaEnrolmentFailure, useMfaEnrolmentRequired } from './mfa-enrolment';

/**
 * Sends a person whose organisation requires a second factor to the page where they set one up,
 * from wherever the server first said so (any query or change, or the event stream). Mounted
 * once, in the signed-in shell; the page itself says why they are there.
 */
export function MfaEnrolmentRedirect() {
  const { realtime } = useServices();
  const session = useSession();
  const required = useMfaEnrolmentRequired();
  const location = useLocation();
  const navigate = useNavigate();
  const userId = session?.user.id;
  const workspaceId = session?.workspace.id;

  // The stream refuses such a session too (and stops): that says it as well as a request does.
  useEffect(() => realtime.onError((error) => noteMfaEnrolmentFailure(error)), [realtime]);

  // Another person, or another workspace (another organisation), starts without the requirement until the server says otherwise.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when who is signed in, and where, changes
  useEffect(() => () => clearMfaEnrolmentRequired(), [userId, workspaceId]);

  useEffect(() => {
    if (!required || location.pathname === mfaEnrolmentPath) return;
    navigate(mfaEnrolmentPath, { replace: true, state: { from: `${location.pathname}${location.search}` } });
  }, [required, location.pathname, location.search, navigate]);

  return null;
}
